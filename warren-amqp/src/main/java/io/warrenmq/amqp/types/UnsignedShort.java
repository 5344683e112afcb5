package io.warrenmq.amqp.types;

/** Field value type {@code 'u'}: an unsigned 16-bit integer, 0 to 65535. */
public record UnsignedShort(int value) {
  public UnsignedShort {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("unsigned short out of range: " + value);
    }
  }
}
