package io.warrenmq.amqp.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldTableTest {

  @Test
  void ofConvertsStringsMapsAndListsToCanonicalTypes() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "text");
    map.put("m", Map.of("inner", "v"));
    map.put("a", List.of("x", 1));
    FieldTable t = FieldTable.of(map);

    assertThat(t.get("s")).isEqualTo(LongString.of("text"));
    assertThat(t.get("m")).isEqualTo(FieldTable.of(Map.of("inner", LongString.of("v"))));
    assertThat(t.getArray("a")).containsExactly(LongString.of("x"), 1);
  }

  @Test
  void ofRejectsValuesWithoutATypeLetter() {
    assertThatThrownBy(() -> FieldTable.of(Map.of("k", new Object())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldTable.of(Map.of("k".repeat(256), 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void typedGettersReturnNullForAbsentKeysAndOtherTypes() {
    FieldTable t =
        FieldTable.EMPTY
            .with("s", "v")
            .with("n", 5)
            .with("b", true)
            .with("t", Map.of())
            .with("a", List.of());

    assertThat(t.getString("s")).isEqualTo("v");
    assertThat(t.getString("n")).isNull();
    assertThat(t.getString("missing")).isNull();
    assertThat(t.getLong("n")).isEqualTo(5L);
    assertThat(t.getLong("s")).isNull();
    assertThat(t.getBoolean("b")).isTrue();
    assertThat(t.getBoolean("n")).isNull();
    assertThat(t.getTable("t")).isEqualTo(FieldTable.EMPTY);
    assertThat(t.getTable("s")).isNull();
    assertThat(t.getArray("a")).isEmpty();
    assertThat(t.getArray("s")).isNull();
  }

  @Test
  void getLongReadsEveryIntegralType() {
    FieldTable t =
        FieldTable.EMPTY
            .with("b", (byte) -1)
            .with("B", new UnsignedByte(255))
            .with("s", (short) -2)
            .with("u", new UnsignedShort(65535))
            .with("I", -3)
            .with("i", new UnsignedInt(4294967295L))
            .with("l", Long.MAX_VALUE)
            .with("d", 1.0d);

    assertThat(t.getLong("b")).isEqualTo(-1L);
    assertThat(t.getLong("B")).isEqualTo(255L);
    assertThat(t.getLong("s")).isEqualTo(-2L);
    assertThat(t.getLong("u")).isEqualTo(65535L);
    assertThat(t.getLong("I")).isEqualTo(-3L);
    assertThat(t.getLong("i")).isEqualTo(4294967295L);
    assertThat(t.getLong("l")).isEqualTo(Long.MAX_VALUE);
    assertThat(t.getLong("d")).isNull();
  }

  @Test
  void withReplacesInPlaceOrAppends() {
    FieldTable t = FieldTable.EMPTY.with("a", 1).with("b", 2).with("a", 3).with("c", null);

    assertThat(t.asMap().keySet()).containsExactly("a", "b", "c");
    assertThat(t.get("a")).isEqualTo(3);
    assertThat(t.containsKey("c")).isTrue();
    assertThat(t.get("c")).isNull();
  }

  @Test
  void withoutRemovesOnlyThatKey() {
    FieldTable t = FieldTable.EMPTY.with("a", 1).with("b", 2);

    assertThat(t.without("a").asMap()).containsExactly(Map.entry("b", 2));
    assertThat(t.without("zz")).isSameAs(t);
    assertThat(t.without("a").without("b")).isEqualTo(FieldTable.EMPTY);
    assertThat(t.size()).isEqualTo(2);
  }

  @Test
  void isImmutable() {
    List<Object> list = new ArrayList<>(List.of(1));
    FieldTable t = FieldTable.EMPTY.with("a", list);
    list.add(2);

    assertThat(t.getArray("a")).containsExactly(1);
    assertThatThrownBy(() -> t.asMap().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.getArray("a").add(3))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalityIsByContent() {
    assertThat(FieldTable.of(Map.of("k", "v"))).isEqualTo(FieldTable.EMPTY.with("k", "v"));
    assertThat(FieldTable.of(Map.of("k", "v")))
        .hasSameHashCodeAs(FieldTable.EMPTY.with("k", LongString.of("v")));
    assertThat(FieldTable.EMPTY.with("x", new ByteArray(new byte[] {1})))
        .isEqualTo(FieldTable.EMPTY.with("x", new ByteArray(new byte[] {1})));
    assertThat(FieldTable.EMPTY.with("k", 1)).isNotEqualTo(FieldTable.EMPTY.with("k", 1L));
    assertThat(FieldTable.EMPTY.with("k", "v").toString()).contains("k").contains("v");
    assertThat(FieldTable.EMPTY.isEmpty()).isTrue();
  }
}
