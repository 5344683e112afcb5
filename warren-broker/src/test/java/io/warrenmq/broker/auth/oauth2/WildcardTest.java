package io.warrenmq.broker.auth.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RabbitMQ's wildcard.erl cases, and its quirks. */
class WildcardTest {
  @Test
  void aStarMatchesAnyRunAndLiteralsMatchTheWholeName() {
    assertThat(Wildcard.match("orders", "*")).isTrue();
    assertThat(Wildcard.match("", "*")).isTrue();
    assertThat(Wildcard.match("orders", "orders")).isTrue();
    assertThat(Wildcard.match("orders-1", "orders")).isFalse();
    assertThat(Wildcard.match("orders-1", "orders-*")).isTrue();
    assertThat(Wildcard.match("my-orders", "*-orders")).isTrue();
    assertThat(Wildcard.match("a.b.c", "a*c")).isTrue();
    assertThat(Wildcard.match("a.b.c", "a*b*c")).isTrue();
    assertThat(Wildcard.match("abc", "a**c")).isTrue();
    assertThat(Wildcard.match("xorders", "orders*")).isFalse();
  }

  @Test
  void literalsAreUrlDecodedSoTheDefaultVhostIsPercent2F() {
    assertThat(Wildcard.match("/", "%2F")).isTrue();
    assertThat(Wildcard.match("/", "/")).isTrue();
    assertThat(Wildcard.match("a b", "a+b")).isTrue(); // cow_qs:urldecode takes '+' for a space
    assertThat(Wildcard.match("a%zz", "a%zz")).isFalse(); // does not decode: matches nothing
  }

  @Test
  void aLiteralAfterAStarIsMatchedAtItsFirstOccurrenceAsRabbitMqDoes() {
    assertThat(Wildcard.match("abxb", "a*b")).isFalse();
    assertThat(Wildcard.match("a", "a**")).isFalse();
  }
}
