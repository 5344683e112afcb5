package io.warrenmq.management.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The properties keys RabbitMQ computes for the same bindings: each expected value was read from
 * a RabbitMQ 3.10.8 node's /api/bindings (erlang:phash2 is stable across OTP releases).
 */
class BindingKeysTest {
  private static FieldTable table(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return FieldTable.of(m);
  }

  @Test
  void anEmptyKeyWithoutArgumentsIsATilde() {
    assertThat(BindingKeys.pack("", FieldTable.EMPTY)).isEqualTo("~");
  }

  @Test
  void aKeyWithoutArgumentsIsTheQuotedKey() {
    assertThat(BindingKeys.pack("a.#", FieldTable.EMPTY)).isEqualTo("a.%23");
    assertThat(BindingKeys.pack("rk 1~x", FieldTable.EMPTY)).isEqualTo("rk+1%7Ex");
    assertThat(BindingKeys.pack("ü", FieldTable.EMPTY)).isEqualTo("%C3%BC");
  }

  @Test
  void argumentsAreHashedAsRabbitMqHashesThemSortedByName() {
    // declared in another order than the sort: the hash is of the sorted table
    assertThat(BindingKeys.pack("rk", table("z", 1L, "a", "b"))).isEqualTo("rk~GS70pQ");
    // as the Java client sends them: an Integer is a signedint
    assertThat(BindingKeys.pack("a.#", table("k", "v", "n", 1))).isEqualTo("a.%23~YZGLPQ");
  }

  @Test
  void everyJsonValueTypeHashesAsInRabbitMq() {
    assertThat(BindingKeys.argsHash(table("b", true))).isEqualTo("_sQtSA");
    assertThat(BindingKeys.argsHash(table("f", 1.5))).isEqualTo("fF0G0A");
    assertThat(BindingKeys.argsHash(table("n", -5L))).isEqualTo("94f54w");
    assertThat(BindingKeys.argsHash(table("big", 10_000_000_000L))).isEqualTo("QMYoLA");
    assertThat(BindingKeys.argsHash(table("huge", 900_000_000_000_000_000L))).isEqualTo("mncA9Q");
    assertThat(BindingKeys.argsHash(table("neg", -900_000_000_000_000_000L))).isEqualTo("r5Y4uw");
    assertThat(BindingKeys.argsHash(table("arr", List.of(1L, "x", table("q", 2L))))).isEqualTo("VQujyw");
    assertThat(BindingKeys.argsHash(table("t", table("a", false, "y", "z")))).isEqualTo("C1pODA");
    assertThat(BindingKeys.argsHash(table("e", ""))).isEqualTo("xDY5TA");
    assertThat(BindingKeys.argsHash(table("s", "a longer string of more than twelve bytes, üñí"))).isEqualTo("EXfoJA");
    assertThat(BindingKeys.argsHash(table("zero", 0.0))).isEqualTo("8QIWgQ");
    assertThat(BindingKeys.argsHash(table("x-match", "all", "k", "v", "b2", false, "m", 134_217_728L)))
        .isEqualTo("tg4h3w");
    assertThat(BindingKeys.argsHash(table("arr", List.of()))).isEqualTo("SjulXA");
    assertThat(BindingKeys.argsHash(table("t", FieldTable.EMPTY))).isEqualTo("nUcNOQ");
  }

  @Test
  void jsonArgumentsBecomeTheTableRabbitMqMakesOfThem() {
    FieldTable t = AmqpJson.toTable(Map.of("z", 1, "a", "b"));
    assertThat(t.asMap().keySet()).containsExactly("a", "z");
    assertThat(t.get("z")).isEqualTo(1L);
    assertThat(t.get("a")).isEqualTo(LongString.of("b"));
    assertThat(BindingKeys.argsHash(t)).isEqualTo("GS70pQ");
  }

  @Test
  void aPropertiesKeyUnpacksToItsKeyAndHash() {
    assertThat(BindingKeys.unpack("~")).isEqualTo(new BindingKeys.Unpacked("", null));
    assertThat(BindingKeys.unpack("a.%23~YZGLPQ")).isEqualTo(new BindingKeys.Unpacked("a.#", "YZGLPQ"));
    assertThat(BindingKeys.unpack("rk+1%7Ex")).isEqualTo(new BindingKeys.Unpacked("rk 1~x", null));
    assertThat(BindingKeys.unpack("a~b~c")).isNull();
  }
}
