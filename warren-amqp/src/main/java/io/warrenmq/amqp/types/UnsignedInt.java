package io.warrenmq.amqp.types;

/** Field value type {@code 'i'}: an unsigned 32-bit integer, 0 to 4294967295. */
public record UnsignedInt(long value) {
  public UnsignedInt {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("unsigned int out of range: " + value);
    }
  }
}
