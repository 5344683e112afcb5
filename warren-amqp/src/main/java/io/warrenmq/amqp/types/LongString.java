package io.warrenmq.amqp.types;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A long string (spec 4.2.5.3, field type {@code 'S'}): up to 2^32-1 bytes that are usually, but
 * not necessarily, UTF-8. Kept as bytes so binary content (a SASL response, for example) survives a
 * round trip. Compared by bytes. Immutable and thread-safe.
 */
public final class LongString {
  /** The empty long string. */
  public static final LongString EMPTY = new LongString(new byte[0]);

  private final byte[] bytes;

  private LongString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The UTF-8 encoding of {@code s}. */
  public static LongString of(String s) {
    return new LongString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A long string holding a copy of {@code bytes}. */
  public static LongString copyOf(byte[] bytes) {
    return new LongString(bytes.clone());
  }

  /** Wraps an array the caller hands over and never touches again (used by the decoder). */
  static LongString wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new LongString(bytes);
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes themselves, for the codec in this package; never modified. */
  byte[] unsafeBytes() {
    return bytes;
  }

  /** Number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The bytes decoded as UTF-8 (malformed input is replaced, never rejected). */
  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
