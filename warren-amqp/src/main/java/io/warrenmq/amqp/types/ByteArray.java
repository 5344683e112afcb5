package io.warrenmq.amqp.types;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Field value type {@code 'x'}: a byte array with a 32-bit length (RabbitMQ extension). Compared by
 * content. The array is copied on the way in and out, so instances are immutable.
 */
public record ByteArray(byte[] bytes) {
  public ByteArray {
    bytes = bytes.clone();
  }

  /** A copy of the bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of bytes. */
  public int length() {
    return bytes.length;
  }

  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteArray other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "ByteArray[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
