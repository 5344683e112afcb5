package io.warrenmq.management.format;

import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import io.warrenmq.amqp.types.UnsignedByte;
import io.warrenmq.amqp.types.UnsignedInt;
import io.warrenmq.amqp.types.UnsignedShort;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code erlang:phash2/2} of an AMQP field table as RabbitMQ holds it (a list of
 * {@code {Name, Type, Value}} tuples, rabbit_binary_parser), so that a binding's properties key
 * (rabbit_mgmt_format:args_hash) is the one RabbitMQ computes for the same arguments. The hash is
 * OTP's make_hash2 (erts erl_term_hashing.c; a stable, documented-portable function), implemented
 * for the terms a table holds: lists of tuples, binaries, atoms, integers (small and big) and
 * floats. Field values map to terms as RabbitMQ decodes them: long strings and byte arrays are
 * binaries, booleans the atoms true and false, void the atom undefined, a decimal the tuple
 * {@code {Scale, Unscaled}}, a nested table a list of tuples, an array a list of {@code {Type,
 * Value}}.
 */
public final class ErlangHash {
  private static final int HCONST = 0x9e3779b9;
  /** The hash of [] at the top of a term (make_hash2's shortcut). */
  private static final int NIL_TOP = (int) 3468870702L;
  private static final int NIL_DEF = 0x2;
  private static final BigInteger SMALL_MIN = BigInteger.ONE.shiftLeft(59).negate();
  private static final BigInteger SMALL_MAX = BigInteger.ONE.shiftLeft(59).subtract(BigInteger.ONE);

  private int hash;

  private ErlangHash() {}

  /** {@code erlang:phash2(Args, 1 bsl 32)} of {@code table}'s entries in the given order. */
  public static int phash2(List<Map.Entry<String, @Nullable Object>> entries) {
    ErlangHash h = new ErlangHash();
    h.tableList(entries);
    return h.hash;
  }

  /** (HCONST * n) mod 2^32: make_hash2's HCONST_n. */
  private static int hconst(int n) {
    return HCONST * n;
  }

  // ---------------------------------------------------------------- terms

  private void tableList(List<Map.Entry<String, @Nullable Object>> entries) {
    if (entries.isEmpty()) {
      nil();
      return;
    }
    for (Map.Entry<String, @Nullable Object> e : entries) {
      tupleHeader(3);
      binary(e.getKey().getBytes(StandardCharsets.UTF_8));
      atom(typeName(e.getValue()));
      value(e.getValue());
    }
    nil();
  }

  private void value(@Nullable Object v) {
    switch (v) {
      case null -> atom("undefined");
      case LongString s -> binary(s.bytes());
      case ByteArray b -> binary(b.bytes());
      case String s -> binary(s.getBytes(StandardCharsets.UTF_8));
      case Boolean b -> atom(b ? "true" : "false");
      case Byte b -> integer(b);
      case Short s -> integer(s);
      case Integer i -> integer(i);
      case Long l -> integer(l);
      case UnsignedByte b -> integer(b.value());
      case UnsignedShort s -> integer(s.value());
      case UnsignedInt i -> integer(i.value());
      case Timestamp t -> integer(t.epochSeconds());
      case Float f -> floating(f.doubleValue());
      case Double d -> floating(d);
      case BigDecimal d -> {
        tupleHeader(2);
        integer(d.scale());
        integer(d.unscaledValue());
      }
      case FieldTable t -> tableList(new ArrayList<>(t.asMap().entrySet()));
      case List<?> l -> {
        if (l.isEmpty()) {
          nil();
          return;
        }
        for (Object o : l) {
          tupleHeader(2);
          atom(typeName(o));
          value(o);
        }
        nil();
      }
      default -> throw new IllegalArgumentException("no field type for " + v.getClass().getName());
    }
  }

  /** RabbitMQ's type atom for a field value (rabbit_binary_parser). */
  static String typeName(@Nullable Object v) {
    return switch (v) {
      case null -> "void";
      case LongString s -> "longstr";
      case String s -> "longstr";
      case ByteArray b -> "binary";
      case Boolean b -> "bool";
      case Byte b -> "byte";
      case UnsignedByte b -> "unsignedbyte";
      case Short s -> "short";
      case UnsignedShort s -> "unsignedshort";
      case Integer i -> "signedint";
      case UnsignedInt i -> "unsignedint";
      case Long l -> "long";
      case Float f -> "float";
      case Double d -> "double";
      case BigDecimal d -> "decimal";
      case Timestamp t -> "timestamp";
      case FieldTable t -> "table";
      case List<?> l -> "array";
      default -> throw new IllegalArgumentException("no field type for " + v.getClass().getName());
    };
  }

  // ---------------------------------------------------------------- make_hash2's leaves

  private void tupleHeader(int arity) {
    uint32(arity, hconst(9));
  }

  private void nil() {
    if (hash == 0) {
      hash = NIL_TOP;
    } else {
      uint32(NIL_DEF, hconst(2));
    }
  }

  private void atom(String name) {
    int h = atomHash(name);
    if (hash == 0) {
      hash = h;
    } else {
      uint32(h, hconst(3));
    }
  }

  private void binary(byte[] b) {
    int con = hconst(13) + hash;
    hash = b.length == 0 ? con : blockHash(b, con);
  }

  private void integer(long v) {
    if (v >= -(1L << 27) && v < (1L << 27)) {
      int y = (int) v; // SINT32_HASH: negative numbers are mixed twice
      if (y < 0) {
        uint32(-y, HCONST);
      }
      uint32(y, HCONST);
    } else if (v >= -(1L << 59) && v < (1L << 59)) {
      int con = v < 0 ? hconst(10) : hconst(11);
      long t = Math.abs(v);
      uint32x2((int) t, (int) (t >>> 32), con);
    } else {
      integer(BigInteger.valueOf(v));
    }
  }

  private void integer(BigInteger v) {
    if (v.compareTo(SMALL_MIN) >= 0 && v.compareTo(SMALL_MAX) <= 0) {
      integer(v.longValue());
      return;
    }
    // a bignum: its 64-bit digits, least significant first
    int con = v.signum() < 0 ? hconst(10) : hconst(11);
    BigInteger a = v.abs();
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    do {
      long d = a.and(mask).longValue();
      uint32x2((int) d, (int) (d >>> 32), con);
      a = a.shiftRight(64);
    } while (a.signum() > 0);
  }

  private void floating(double d) {
    long bits = Double.doubleToRawLongBits(d == 0.0 ? 0.0 : d);
    uint32x2((int) (bits >>> 32), (int) bits, hconst(12));
  }

  private void uint32(int e, int aconst) {
    uint32x2(e, 0, aconst);
  }

  /** UINT32_HASH_2: mixes two words into the running hash. */
  private void uint32x2(int e1, int e2, int aconst) {
    int[] abc = {aconst + e1, aconst + e2, hash};
    mix(abc);
    hash = abc[2];
  }

  /** Bob Jenkins' mix of three 32-bit words (lookup2), in place. */
  private static void mix(int[] abc) {
    int a = abc[0];
    int b = abc[1];
    int c = abc[2];
    a -= b; a -= c; a ^= (c >>> 13);
    b -= c; b -= a; b ^= (a << 8);
    c -= a; c -= b; c ^= (b >>> 13);
    a -= b; a -= c; a ^= (c >>> 12);
    b -= c; b -= a; b ^= (a << 16);
    c -= a; c -= b; c ^= (b >>> 5);
    a -= b; a -= c; a ^= (c >>> 3);
    b -= c; b -= a; b ^= (a << 10);
    c -= a; c -= b; c ^= (b >>> 15);
    abc[0] = a;
    abc[1] = b;
    abc[2] = c;
  }

  /** erts block_hash over the bytes, seeded with {@code initval}. */
  private static int blockHash(byte[] k, int initval) {
    int[] abc = {HCONST, HCONST, initval};
    int i = 0;
    int n = k.length;
    while (n - i >= 12) {
      abc[0] += word(k, i);
      abc[1] += word(k, i + 4);
      abc[2] += word(k, i + 8);
      mix(abc);
      i += 12;
    }
    int r = n - i;
    abc[2] += n;
    // the tail, falling through as the C switch does; the first byte of c is the length's
    for (int j = r - 1; j >= 0; j--) {
      int byt = k[i + j] & 0xFF;
      if (j >= 8) {
        abc[2] += byt << (8 * (j - 7));
      } else if (j >= 4) {
        abc[1] += byt << (8 * (j - 4));
      } else {
        abc[0] += byt << (8 * j);
      }
    }
    mix(abc);
    return abc[2];
  }

  private static int word(byte[] k, int i) {
    return (k[i] & 0xFF) | (k[i + 1] & 0xFF) << 8 | (k[i + 2] & 0xFF) << 16 | (k[i + 3] & 0xFF) << 24;
  }

  /**
   * The atom table's hash of an atom's name: hashpjw over its UTF-8 bytes, a two-byte Latin-1
   * sequence folded to its code point (erts atom.c, atom_hash).
   */
  static int atomHash(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    int h = 0;
    for (int i = 0; i < b.length; i++) {
      int v = b[i] & 0xFF;
      if (i + 1 < b.length && (v & 0xFE) == 0xC2 && (b[i + 1] & 0xC0) == 0x80) {
        v = (v << 6) | (b[i + 1] & 0x3F);
        i++;
      }
      h = (h << 4) + v;
      int g = h & 0xf0000000;
      if (g != 0) {
        h ^= g >>> 24;
        h ^= g;
      }
    }
    return h;
  }
}
