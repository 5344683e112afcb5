package io.warrenmq.amqp.types;

/** Field value type {@code 'B'}: an unsigned 8-bit integer, 0 to 255. */
public record UnsignedByte(int value) {
  public UnsignedByte {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("unsigned byte out of range: " + value);
    }
  }
}
