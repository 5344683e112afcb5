package io.warrenmq.amqp.testing;

import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import io.warrenmq.amqp.types.UnsignedByte;
import io.warrenmq.amqp.types.UnsignedInt;
import io.warrenmq.amqp.types.UnsignedShort;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik arbitraries for AMQP values. */
public final class Generators {
  private Generators() {}

  /** Strings whose UTF-8 encoding fits a shortstr (at most 255 bytes), ASCII and wider. */
  public static Arbitrary<String> shortStrings() {
    return Arbitraries.oneOf(
            Arbitraries.strings().ascii().ofMaxLength(255),
            Arbitraries.strings().alpha().numeric().withChars(".-_/#*").ofMaxLength(20),
            Arbitraries.strings().withCharRange('\u0080', '\uD7FF').ofMaxLength(85))
        .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= 255);
  }

  public static Arbitrary<LongString> longStrings() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(LongString::copyOf);
  }

  public static Arbitrary<Integer> octets() {
    return Arbitraries.integers().between(0, 0xFF);
  }

  public static Arbitrary<Integer> shorts() {
    return Arbitraries.integers().between(0, 0xFFFF);
  }

  public static Arbitrary<Long> unsignedInts() {
    return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
  }

  /**
   * Random tables nesting up to {@code depth} levels, with every type letter; {@code
   * clientWritable} leaves out 'B', 'u' and 'i', which the Java client can read but not write.
   */
  public static Arbitrary<FieldTable> tables(int depth, boolean clientWritable) {
    return Arbitraries.maps(shortStrings(), values(depth, clientWritable))
        .ofMaxSize(5)
        .map(FieldTable::of);
  }

  public static Arbitrary<List<Object>> arrays(int depth, boolean clientWritable) {
    return values(depth, clientWritable).list().ofMaxSize(5).map(ArrayList::new);
  }

  public static Arbitrary<Object> values(int depth, boolean clientWritable) {
    List<Arbitrary<?>> choices = new ArrayList<>(scalars(clientWritable));
    if (depth > 0) {
      choices.add(Arbitraries.lazy(() -> tables(depth - 1, clientWritable)));
      choices.add(Arbitraries.lazy(() -> arrays(depth - 1, clientWritable)));
    }
    return Arbitraries.<Object>oneOf(choices).injectNull(0.05);
  }

  private static List<Arbitrary<?>> scalars(boolean clientWritable) {
    List<Arbitrary<?>> s = new ArrayList<>();
    s.add(Arbitraries.of(true, false));
    s.add(Arbitraries.bytes());
    s.add(Arbitraries.shorts());
    s.add(Arbitraries.integers());
    s.add(Arbitraries.longs());
    s.add(Arbitraries.floats());
    s.add(Arbitraries.doubles());
    s.add(
        Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
            .as(BigDecimal::valueOf));
    s.add(longStrings());
    s.add(
        Arbitraries.longs()
            .between(-Long.MAX_VALUE / 1000, Long.MAX_VALUE / 1000)
            .map(Timestamp::new));
    s.add(Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(ByteArray::new));
    if (!clientWritable) {
      s.add(octets().map(UnsignedByte::new));
      s.add(shorts().map(UnsignedShort::new));
      s.add(unsignedInts().map(UnsignedInt::new));
    }
    return s;
  }
}
