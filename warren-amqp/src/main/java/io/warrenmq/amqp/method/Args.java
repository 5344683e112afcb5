package io.warrenmq.amqp.method;

/** Range checks for the unsigned integer arguments of method records. */
final class Args {
  private Args() {}

  static void checkOctet(int value, String field) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException(field + " is not an octet: " + value);
    }
  }

  static void checkShort(int value, String field) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(field + " is not an unsigned short: " + value);
    }
  }

  static void checkUnsignedInt(long value, String field) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(field + " is not an unsigned 32-bit value: " + value);
    }
  }
}
