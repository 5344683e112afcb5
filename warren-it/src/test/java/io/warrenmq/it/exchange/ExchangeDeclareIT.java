package io.warrenmq.it.exchange;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.it.support.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** exchange.declare and exchange.delete with RabbitMQ's checks, reply codes and texts. */
class ExchangeDeclareIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  Connection conn;
  Channel ch;

  @BeforeEach
  void open() throws Exception {
    conn = broker.factory().newConnection();
    ch = conn.createChannel();
  }

  @AfterEach
  void close() {
    conn.abort();
  }

  /** A fresh channel after the broker closed the previous one. */
  Channel reopen() throws Exception {
    ch = conn.createChannel();
    return ch;
  }

  boolean exists(String exchange) throws Exception {
    try (Channel probe = conn.createChannel()) {
      probe.exchangeDeclarePassive(exchange);
      return true;
    } catch (java.io.IOException e) {
      assertThat(channelCloseOf(() -> {
        throw e;
      })).isEqualTo("404 NOT_FOUND - no exchange '" + exchange + "' in vhost '/'");
      return false;
    }
  }

  @Nested
  class Declare {
    @Test
    void redeclaringWithTheSameSettingsSucceeds() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.TOPIC, true, false, false, Map.of("x-any", 1));
      ch.exchangeDeclare(x, BuiltinExchangeType.TOPIC, true, false, false, Map.of("x-any", 1));
      assertThat(exists(x)).isTrue();
    }

    @Test
    void passiveDeclareOfAMissingExchangeClosesTheChannelWith404() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclarePassive("no-such-x")))
          .isEqualTo("404 NOT_FOUND - no exchange 'no-such-x' in vhost '/'");
    }

    @Test
    void passiveDeclareOfAnExistingExchangeSucceedsWithoutComparingSettings() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.HEADERS, true, true, Map.of());
      ch.exchangeDeclarePassive(x);
      assertThat(ch.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match",
        "amq.rabbitmq.trace"})
    void theStandardExchangesExist(String name) throws Exception {
      assertThat(exists(name)).isTrue();
    }

    @Test
    void aStandardExchangeMayBeRedeclaredWithItsOwnSettings() throws Exception {
      ch.exchangeDeclare("amq.direct", BuiltinExchangeType.DIRECT, true);
      ch.exchangeDeclare("amq.headers", BuiltinExchangeType.HEADERS, true);
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void redeclaringAStandardExchangeWithAnotherTypeIs406() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclare("amq.direct", BuiltinExchangeType.FANOUT, true)))
          .isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.direct' in"
              + " vhost '/': received 'fanout' but current is 'direct'");
    }

    @Test
    void declaringANewExchangeWithTheReservedAmqPrefixIs403() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclare("amq.mine", BuiltinExchangeType.DIRECT)))
          .isEqualTo("403 ACCESS_REFUSED - exchange name 'amq.mine' contains reserved prefix 'amq.*'");
    }

    @Test
    void declaringTheDefaultExchangeIs403() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclare("", BuiltinExchangeType.DIRECT, true)))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void passiveDeclareOfTheDefaultExchangeIs403() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclarePassive("")))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    /**
     * RabbitMQ 3.13.7 (rabbit_exchange:check_type, since 3.13.3: PR #11214) closes the channel
     * with 406; 3.13.2 and earlier closed the connection with 503 COMMAND_INVALID.
     */
    @Test
    void anUnknownTypeClosesTheChannelWith406AndTheConnectionStaysOpen() throws Exception {
      String x = unique("x");
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(x, "no-such-type")))
          .isEqualTo("406 PRECONDITION_FAILED - unknown exchange type 'no-such-type'");
      assertThat(conn.isOpen()).isTrue();
      assertThat(exists(x)).isFalse();
    }

    @Test
    void anEmptyTypeClosesTheChannelWith406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> ch.exchangeDeclare(x, "")))
          .isEqualTo("406 PRECONDITION_FAILED - invalid exchange type ''");
      assertThat(conn.isOpen()).isTrue();
    }

    @Test
    void redeclaringWithAnotherTypeIs406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
        ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT);
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'type' for exchange '" + x
          + "' in vhost '/': received 'fanout' but current is 'direct'");
    }

    @Test
    void redeclaringWithAnotherDurabilityIs406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false);
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, true);
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'durable' for exchange '" + x
          + "' in vhost '/': received 'true' but current is 'false'");
    }

    @Test
    void redeclaringWithAnotherAutoDeleteIs406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, true, Map.of());
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of());
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'auto_delete' for exchange '" + x
          + "' in vhost '/': received 'false' but current is 'true'");
    }

    @Test
    void redeclaringWithAnotherInternalIs406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, false, Map.of());
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, true, Map.of());
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'internal' for exchange '" + x
          + "' in vhost '/': received 'true' but current is 'false'");
    }

    @Test
    void redeclaringWithAnotherAlternateExchangeIs406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", "ae1"));
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", "ae2"));
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange '"
          + x + "' in vhost '/': received 'ae2' but current is 'ae1'");
    }

    @Test
    void redeclaringWithoutTheAlternateExchangeIs406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", "ae1"));
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of());
      })).isEqualTo("406 PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange '"
          + x + "' in vhost '/': received none but current is the value 'ae1' of type 'longstr'");
    }

    @Test
    void anAlternateExchangeThatIsNotAStringIs406() {
      String x = unique("x");
      assertThat(channelCloseOf(() ->
          ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", 5))))
          .isEqualTo("406 PRECONDITION_FAILED - invalid type 'signedint' for arg 'alternate-exchange' in"
              + " exchange '" + x + "' in vhost '/'");
    }

    @Test
    void argumentsOtherThanTheAlternateExchangeAreNotCompared() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of("x-foo", "a"));
      ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of("x-foo", "b", "x-bar", 1));
      ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, Map.of());
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void carriageReturnsAndLineFeedsAreDroppedFromTheName() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x + "\r\n-crlf", BuiltinExchangeType.FANOUT);
      assertThat(exists(x + "-crlf")).isTrue();
      ch.exchangeDelete(x + "-cr\nlf");
      assertThat(exists(x + "-crlf")).isFalse();
    }

    @Test
    void theChannelStaysUsableAfterNowaitDeclares() throws Exception {
      String x = unique("x");
      ch.exchangeDeclareNoWait(x, BuiltinExchangeType.FANOUT, false, false, false, Map.of());
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, x, "");
      ch.basicPublish(x, "", null, bytes("m"));
      assertThat(drainWhenReady(q, 1)).containsExactly("m");
    }
  }

  @Nested
  class AutoDelete {
    @Test
    void anAutoDeleteExchangeIsDeletedWhenItsLastBindingIsRemoved() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, true, Map.of());
      String q1 = ch.queueDeclare().getQueue();
      String q2 = ch.queueDeclare().getQueue();
      ch.queueBind(q1, x, "a");
      ch.queueBind(q2, x, "b");
      ch.queueUnbind(q1, x, "a");
      assertThat(exists(x)).isTrue();
      ch.queueUnbind(q2, x, "b");
      assertThat(exists(x)).isFalse();
    }

    @Test
    void anAutoDeleteExchangeIsDeletedWhenItsLastBoundQueueIsDeleted() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT, false, true, Map.of());
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, x, "");
      ch.queueDelete(q);
      assertThat(exists(x)).isFalse();
    }

    @Test
    void anAutoDeleteExchangeThatNeverHadBindingsStays() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT, false, true, Map.of());
      assertThat(exists(x)).isTrue();
    }

    @Test
    void anAutoDeleteSourceIsDeletedWhenItsDestinationExchangeIsDeleted() throws Exception {
      String src = unique("x-src");
      String dst = unique("x-dst");
      ch.exchangeDeclare(src, BuiltinExchangeType.FANOUT, false, true, Map.of());
      ch.exchangeDeclare(dst, BuiltinExchangeType.FANOUT);
      ch.exchangeBind(dst, src, "");
      ch.exchangeDelete(dst);
      assertThat(exists(src)).isFalse();
    }

    @Test
    void autoDeletionCascadesThroughAChainOfExchanges() throws Exception {
      String top = unique("x-top");
      String mid = unique("x-mid");
      ch.exchangeDeclare(top, BuiltinExchangeType.FANOUT, false, true, Map.of());
      ch.exchangeDeclare(mid, BuiltinExchangeType.FANOUT, false, true, Map.of());
      ch.exchangeBind(mid, top, "");
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, mid, "");
      ch.queueDelete(q);
      assertThat(exists(mid)).isFalse();
      assertThat(exists(top)).isFalse();
    }

    @Test
    void anAutoDeleteExchangeThatIsOnlyADestinationStaysWhenThatBindingGoes() throws Exception {
      String src = unique("x-src");
      String dst = unique("x-dst");
      ch.exchangeDeclare(src, BuiltinExchangeType.FANOUT);
      ch.exchangeDeclare(dst, BuiltinExchangeType.FANOUT, false, true, Map.of());
      ch.exchangeBind(dst, src, "");
      ch.exchangeUnbind(dst, src, "");
      assertThat(exists(dst)).isTrue();
      assertThat(exists(src)).isTrue();
    }
  }

  @Nested
  class Internal {
    @Test
    void publishingToAnInternalExchangeIs403() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT, false, false, true, Map.of());
        ch.basicPublish(x, "", null, bytes("m"));
        ch.queueDeclare();
      })).isEqualTo("403 ACCESS_REFUSED - cannot publish to internal exchange '" + x + "' in vhost '/'");
    }

    @Test
    void publishingToTheTraceExchangeIs403() {
      assertThat(channelCloseOf(() -> {
        ch.basicPublish("amq.rabbitmq.trace", "", null, bytes("m"));
        ch.queueDeclare();
      })).isEqualTo("403 ACCESS_REFUSED - cannot publish to internal exchange 'amq.rabbitmq.trace' in vhost '/'");
    }

    @Test
    void anInternalExchangeRoutesWhatAnExchangeBindingBringsIt() throws Exception {
      String pub = unique("x-pub");
      String internal = unique("x-int");
      ch.exchangeDeclare(pub, BuiltinExchangeType.FANOUT);
      ch.exchangeDeclare(internal, BuiltinExchangeType.FANOUT, false, false, true, Map.of());
      ch.exchangeBind(internal, pub, "");
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, internal, "");
      ch.basicPublish(pub, "k", null, bytes("via-internal"));
      assertThat(drainWhenReady(q, 1)).containsExactly("via-internal");
    }
  }

  @Nested
  class Delete {
    @Test
    void deletingAMissingExchangeSucceeds() throws Exception {
      ch.exchangeDelete("no-such-x");
      ch.exchangeDelete("no-such-x", true);
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void deletingAnExchangeMakesItDisappear() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.TOPIC);
      ch.exchangeDelete(x);
      assertThat(exists(x)).isFalse();
    }

    @Test
    void ifUnusedRefusesAnExchangeWithBindingsWith406() {
      String x = unique("x");
      assertThat(channelCloseOf(() -> {
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "k");
        ch.exchangeDelete(x, true);
      })).isEqualTo("406 PRECONDITION_FAILED - exchange '" + x + "' in vhost '/' in use");
    }

    @Test
    void ifUnusedDeletesAnExchangeWithoutBindings() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
      ch.exchangeDelete(x, true);
      assertThat(exists(x)).isFalse();
    }

    @Test
    void ifUnusedCountsOnlyBindingsWhereTheExchangeIsTheSource() throws Exception {
      String src = unique("x-src");
      String dst = unique("x-dst");
      ch.exchangeDeclare(src, BuiltinExchangeType.FANOUT);
      ch.exchangeDeclare(dst, BuiltinExchangeType.FANOUT);
      ch.exchangeBind(dst, src, "");
      ch.exchangeDelete(dst, true);
      assertThat(exists(dst)).isFalse();
    }

    @Test
    void deletingAStandardExchangeIs403() {
      assertThat(channelCloseOf(() -> ch.exchangeDelete("amq.direct")))
          .isEqualTo("403 ACCESS_REFUSED - deletion of system exchange 'amq.direct' in vhost '/' not allowed");
    }

    @Test
    void deletingAMissingAmqPrefixedExchangeIs403Too() {
      assertThat(channelCloseOf(() -> ch.exchangeDelete("amq.nothing")))
          .isEqualTo("403 ACCESS_REFUSED - deletion of system exchange 'amq.nothing' in vhost '/' not allowed");
    }

    @Test
    void deletingTheDefaultExchangeIs403() {
      assertThat(channelCloseOf(() -> ch.exchangeDelete("")))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void aRedeclaredExchangeDoesNotInheritTheBindingsOfTheDeletedOne() throws Exception {
      String x = unique("x");
      ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT);
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, x, "");
      ch.exchangeDelete(x);
      ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT);
      ch.basicPublish(x, "", null, bytes("lost"));
      String marker = ch.queueDeclare().getQueue();
      ch.queueBind(marker, x, "");
      ch.basicPublish(x, "", null, bytes("seen"));
      assertThat(drainWhenReady(marker, 1)).containsExactly("seen");
      assertThat(drain(ch, q)).isEmpty();
    }

    @Test
    void deletingADestinationExchangeRemovesTheBindingToIt() throws Exception {
      String src = unique("x-src");
      String dst = unique("x-dst");
      ch.exchangeDeclare(src, BuiltinExchangeType.FANOUT);
      ch.exchangeDeclare(dst, BuiltinExchangeType.FANOUT);
      ch.exchangeBind(dst, src, "");
      ch.exchangeDelete(dst);
      // src is no longer in use: if-unused succeeds
      ch.exchangeDelete(src, true);
      assertThat(exists(src)).isFalse();
    }
  }

  /** Waits (bounded) until {@code q} holds {@code n} messages, then drains it. */
  List<String> drainWhenReady(String q, int n) throws Exception {
    io.warrenmq.it.support.Eventually.eventually("queue " + q + " holds " + n, () -> {
      try {
        return ch.messageCount(q) >= n;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    return drain(ch, q);
  }
}
