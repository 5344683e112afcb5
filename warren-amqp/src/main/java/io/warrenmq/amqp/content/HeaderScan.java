package io.warrenmq.amqp.content;

import io.netty.buffer.ByteBuf;

/**
 * Finds the top-level headers the publish path cares about ({@code CC}, {@code BCC},
 * {@code x-death}) by walking the encoded headers table key by key, skipping each value by its
 * type letter and length: nothing is decoded or allocated. A malformed table ends the walk
 * quietly; whoever decodes the headers later reports it.
 *
 * <p>Borrows the buffer and never moves its indexes. Stateless.
 */
final class HeaderScan {
  private static final byte[] X_DEATH = {'x', '-', 'd', 'e', 'a', 't', 'h'};

  private HeaderScan() {}

  /** The CC type (bits 0-7), the BCC type (bits 8-15) and x-death presence (bit 16). */
  static int scan(ByteBuf raw, int from, int end) {
    int cc = 0;
    int bcc = 0;
    boolean xDeath = false;
    int i = from;
    while (i < end) {
      int keyLength = raw.getUnsignedByte(i);
      int key = i + 1;
      int typeAt = key + keyLength;
      if (typeAt >= end) {
        break;
      }
      int type = raw.getUnsignedByte(typeAt);
      int size = valueSize(raw, type, typeAt + 1, end);
      if (size < 0) {
        break;
      }
      if (keyLength == 2 && cc == 0 && raw.getByte(key) == 'C' && raw.getByte(key + 1) == 'C') {
        cc = type;
      } else if (keyLength == 3 && bcc == 0 && raw.getByte(key) == 'B' && raw.getByte(key + 1) == 'C'
          && raw.getByte(key + 2) == 'C') {
        bcc = type;
      } else if (keyLength == X_DEATH.length && isXDeath(raw, key)) {
        xDeath = true;
      }
      i = typeAt + 1 + size;
    }
    return cc | bcc << 8 | (xDeath ? 1 << 16 : 0);
  }

  private static boolean isXDeath(ByteBuf raw, int key) {
    for (int j = 0; j < X_DEATH.length; j++) {
      if (raw.getByte(key + j) != X_DEATH[j]) {
        return false;
      }
    }
    return true;
  }

  /** Bytes of the value after its type letter, or -1 for an unknown type or one overrunning {@code end}. */
  private static int valueSize(ByteBuf raw, int type, int at, int end) {
    int size = switch (type) {
      case 'V' -> 0;
      case 't', 'b', 'B' -> 1;
      case 's', 'u' -> 2;
      case 'I', 'i', 'f' -> 4;
      case 'D' -> 5;
      case 'l', 'L', 'd', 'T' -> 8;
      case 'S', 'x', 'A', 'F' -> {
        if (end - at < 4) {
          yield -1;
        }
        long length = raw.getUnsignedInt(at);
        yield length > end - at - 4 ? -1 : 4 + (int) length;
      }
      default -> -1;
    };
    return size > end - at ? -1 : size;
  }
}
