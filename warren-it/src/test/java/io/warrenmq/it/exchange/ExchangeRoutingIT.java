package io.warrenmq.it.exchange;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.drain;
import static io.warrenmq.it.support.Messaging.text;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Routing by exchange type (direct, fanout, topic, headers, the default exchange), through
 * exchange-to-exchange bindings and alternate exchanges, as RabbitMQ routes.
 *
 * <p>Every publish on a channel is routed before the channel's next method is handled (RabbitMQ
 * and Warren both), so draining with basic.get on the same channel right after publishing sees
 * exactly what was routed.
 */
class ExchangeRoutingIT {
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

  String exchange(BuiltinExchangeType type) throws Exception {
    return exchange(type, Map.of());
  }

  String exchange(BuiltinExchangeType type, Map<String, Object> args) throws Exception {
    String x = unique("x-" + type.getType());
    ch.exchangeDeclare(x, type, false, false, args);
    return x;
  }

  String queueBoundTo(String x, String key) throws Exception {
    String q = ch.queueDeclare().getQueue();
    ch.queueBind(q, x, key);
    return q;
  }

  void publish(String x, String key, String body) throws Exception {
    ch.basicPublish(x, key, null, bytes(body));
  }

  @Nested
  class Direct {
    @Test
    void routesToTheQueuesBoundWithTheExactKey() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      String a1 = queueBoundTo(x, "a");
      String a2 = queueBoundTo(x, "a");
      String b = queueBoundTo(x, "b");
      publish(x, "a", "m-a");
      publish(x, "b", "m-b");
      publish(x, "A", "m-A");
      publish(x, "", "m-empty");
      assertThat(drain(ch, a1)).containsExactly("m-a");
      assertThat(drain(ch, a2)).containsExactly("m-a");
      assertThat(drain(ch, b)).containsExactly("m-b");
    }

    @Test
    void aQueueBoundWithSeveralMatchingBindingsGetsOneCopy() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      String q = queueBoundTo(x, "k");
      ch.queueBind(q, x, "k", Map.of("x-arg", "other binding"));
      ch.queueBind(q, x, "k");
      publish(x, "k", "once");
      assertThat(drain(ch, q)).containsExactly("once");
    }

    @Test
    void unbindingStopsRoutingForThatKeyOnly() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      String q = queueBoundTo(x, "a");
      ch.queueBind(q, x, "b");
      ch.queueUnbind(q, x, "a");
      publish(x, "a", "m-a");
      publish(x, "b", "m-b");
      assertThat(drain(ch, q)).containsExactly("m-b");
    }

    @Test
    void bindingArgumentsAreAPartOfTheBindingsIdentity() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      String q = queueBoundTo(x, "k");
      ch.queueBind(q, x, "k", Map.of("x-tag", "1"));
      ch.queueUnbind(q, x, "k");
      publish(x, "k", "still bound by the binding with arguments");
      ch.queueUnbind(q, x, "k", Map.of("x-tag", "1"));
      publish(x, "k", "unbound");
      assertThat(drain(ch, q)).containsExactly("still bound by the binding with arguments");
    }
  }

  @Nested
  class Fanout {
    @Test
    void routesToEveryBoundQueueWhateverTheKey() throws Exception {
      String x = exchange(BuiltinExchangeType.FANOUT);
      String q1 = queueBoundTo(x, "");
      String q2 = queueBoundTo(x, "ignored");
      publish(x, "any.key", "m1");
      publish(x, "", "m2");
      assertThat(drain(ch, q1)).containsExactly("m1", "m2");
      assertThat(drain(ch, q2)).containsExactly("m1", "m2");
    }

    @Test
    void aFanoutExchangeWithoutBindingsDropsTheMessage() throws Exception {
      String x = exchange(BuiltinExchangeType.FANOUT);
      String q = queueBoundTo(x, "");
      ch.queueUnbind(q, x, "");
      publish(x, "", "dropped");
      assertThat(drain(ch, q)).isEmpty();
    }
  }

  @Nested
  class Topic {
    @ParameterizedTest(name = "binding ''{0}'' routing key ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
        "a.b.c   | a.b.c    | true",
        "a.b.c   | a.b      | false",
        "a.b.c   | a.b.c.d  | false",
        "a.*.c   | a.b.c    | true",
        "a.*.c   | a.c      | false",
        "a.*.c   | a..c     | true",
        "a.*     | a        | false",
        "a.*     | a.b.c    | false",
        "a.*     | a.       | true",
        "a.#     | a        | true",
        "a.#     | a.b.c    | true",
        "a.#     | ab.c     | false",
        "#.c     | c        | true",
        "#.c     | a.b.c    | true",
        "#.c     | a.b.cc   | false",
        "a.#.c   | a.c      | true",
        "a.#.c   | a.x.y.c  | true",
        "a.#.c   | a.x.y.d  | false",
        "a.*.#   | a        | false",
        "a.*.#   | a.b      | true",
        "*.#     | ''       | false",
        "*.#     | a        | true",
        "#.#     | a        | true",
        "#.*     | a        | true",
        "#       | ''       | true",
        "#       | a.b.c    | true",
        "#       | .        | true",
        "*       | ''       | false",
        "*       | a        | true",
        "*       | a.b      | false",
        "*.*     | .        | true",
        "''      | ''       | true",
        "''      | a        | false",
        "a.      | a.       | true",
        "a.      | a        | false",
        "a..b    | a..b     | true",
        "a..b    | a.b      | false",
        "*.b.*   | a.b.c    | true",
        "*.b.*   | b.c      | false",
    })
    void matchesAsRabbitMq(String bindingKey, String routingKey, boolean matches) throws Exception {
      String x = exchange(BuiltinExchangeType.TOPIC);
      String q = queueBoundTo(x, bindingKey);
      publish(x, routingKey, "m");
      assertThat(drain(ch, q)).hasSize(matches ? 1 : 0);
    }

    @Test
    void manyBindingsOnOneExchangeEachGetWhatMatches() throws Exception {
      String x = exchange(BuiltinExchangeType.TOPIC);
      Map<String, String> queues = new HashMap<>();
      List<String> patterns = List.of("#", "*", "a.*", "a.#", "*.b", "a.b", "#.b", "*.*.*", "a.*.c", "c");
      for (String p : patterns) {
        queues.put(p, queueBoundTo(x, p));
      }
      for (String key : List.of("a", "a.b", "b", "a.b.c", "x.b", "c", "a.x.c", "")) {
        publish(x, key, key.isEmpty() ? "<empty>" : key);
      }
      Map<String, List<String>> got = new HashMap<>();
      for (String p : patterns) {
        got.put(p, drain(ch, queues.get(p)));
      }
      assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of(
          "#", List.of("a", "a.b", "b", "a.b.c", "x.b", "c", "a.x.c", "<empty>"),
          "*", List.of("a", "b", "c"),
          "a.*", List.of("a.b"),
          "a.#", List.of("a", "a.b", "a.b.c", "a.x.c"),
          "*.b", List.of("a.b", "x.b"),
          "a.b", List.of("a.b"),
          "#.b", List.of("a.b", "b", "x.b"),
          "*.*.*", List.of("a.b.c", "a.x.c"),
          "a.*.c", List.of("a.b.c", "a.x.c"),
          "c", List.of("c")));
    }

    @Test
    void aQueueMatchedByOverlappingPatternsGetsOneCopy() throws Exception {
      String x = exchange(BuiltinExchangeType.TOPIC);
      String q = queueBoundTo(x, "a.*");
      ch.queueBind(q, x, "#");
      ch.queueBind(q, x, "*.b");
      ch.queueBind(q, x, "a.#");
      publish(x, "a.b", "once");
      assertThat(drain(ch, q)).containsExactly("once");
    }

    @Test
    void unbindingOnePatternKeepsTheOthers() throws Exception {
      String x = exchange(BuiltinExchangeType.TOPIC);
      String q1 = queueBoundTo(x, "a.#");
      String q2 = queueBoundTo(x, "a.#.b");
      ch.queueUnbind(q1, x, "a.#");
      publish(x, "a.x.b", "m");
      assertThat(drain(ch, q1)).isEmpty();
      assertThat(drain(ch, q2)).containsExactly("m");
    }
  }

  @Nested
  class Headers {
    static Map<String, Object> map(Object... kv) {
      Map<String, Object> m = new HashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put((String) kv[i], kv[i + 1]);
      }
      return m;
    }

    static Stream<Arguments> cases() {
      return Stream.of(
          Arguments.of("all: every key equal", map("x-match", "all", "a", 1, "b", "x"), map("a", 1, "b", "x"), true),
          Arguments.of("all: extra headers are fine", map("x-match", "all", "a", 1), map("a", 1, "c", "z"), true),
          Arguments.of("all: one key missing", map("x-match", "all", "a", 1, "b", "x"), map("a", 1), false),
          Arguments.of("all: one value differs", map("x-match", "all", "a", 1, "b", "x"), map("a", 1, "b", "y"), false),
          Arguments.of("no x-match means all", map("a", 1, "b", "x"), map("a", 1), false),
          Arguments.of("no x-match, all equal", map("a", 1, "b", "x"), map("b", "x", "a", 1), true),
          Arguments.of("all with no keys matches everything", map("x-match", "all"), null, true),
          Arguments.of("no arguments at all match everything", map(), map("k", "v"), true),
          Arguments.of("any: one key equal", map("x-match", "any", "a", 1, "b", "x"), map("b", "x"), true),
          Arguments.of("any: none equal", map("x-match", "any", "a", 1, "b", "x"), map("a", 2, "c", "x"), false),
          Arguments.of("any: no headers", map("x-match", "any", "a", 1), null, false),
          Arguments.of("any with no keys matches nothing", map("x-match", "any"), map("a", 1), false),
          Arguments.of("all ignores x- keys of the binding", map("x-match", "all", "x-k", "v"), null, true),
          Arguments.of("any ignores x- keys of the binding", map("x-match", "any", "x-k", "v"), map("x-k", "v"), false),
          Arguments.of("all-with-x compares x- keys", map("x-match", "all-with-x", "x-k", "v"), map("x-k", "v"), true),
          Arguments.of("all-with-x: x- key missing", map("x-match", "all-with-x", "x-k", "v", "a", 1), map("a", 1), false),
          Arguments.of("any-with-x: x- key equal", map("x-match", "any-with-x", "x-k", "v", "a", 1), map("x-k", "v"), true),
          Arguments.of("any-with-x: nothing equal", map("x-match", "any-with-x", "x-k", "v"), map("x-k", "w"), false),
          Arguments.of("void value: the key is present", map("x-match", "all", "a", null), map("a", "anything"), true),
          Arguments.of("void value: the key is absent", map("x-match", "all", "a", null), map("b", 1), false),
          Arguments.of("void value with any", map("x-match", "any", "a", null, "b", 2), map("a", 5), true),
          Arguments.of("void header does not equal a value", map("x-match", "all", "a", "v"), map("a", null), false),
          Arguments.of("int binding, long header", map("x-match", "all", "n", 42), map("n", 42L), true),
          Arguments.of("long binding, short header", map("x-match", "all", "n", 42L), map("n", (short) 42), true),
          Arguments.of("byte binding, int header", map("x-match", "all", "n", (byte) 7), map("n", 7), true),
          Arguments.of("int binding, different long", map("x-match", "all", "n", 42), map("n", 43L), false),
          Arguments.of("string equals string", map("x-match", "all", "s", "abc"), map("s", "abc"), true),
          Arguments.of("string equals the same bytes", map("x-match", "all", "s", "abc"), map("s", bytes("abc")), true),
          Arguments.of("float binding, double header", map("x-match", "all", "f", 0.5f), map("f", 0.5d), true),
          Arguments.of("nested tables", map("x-match", "all", "t", Map.of("a", 1)), map("t", Map.of("a", 1)), true),
          Arguments.of("string is not a number", map("x-match", "all", "s", "1"), map("s", 1), false),
          Arguments.of("booleans", map("x-match", "all", "b", true), map("b", true), true),
          Arguments.of("booleans differ", map("x-match", "all", "b", true), map("b", false), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesAsRabbitMq(String name, Map<String, Object> binding, Map<String, Object> headers,
        boolean matches) throws Exception {
      String x = exchange(BuiltinExchangeType.HEADERS);
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, x, "", binding);
      ch.basicPublish(x, "", new AMQP.BasicProperties.Builder().headers(headers).build(), bytes("m"));
      assertThat(drain(ch, q)).hasSize(matches ? 1 : 0);
    }

    @Test
    void theRoutingKeyIsIgnored() throws Exception {
      String x = exchange(BuiltinExchangeType.HEADERS);
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, x, "some-key", Map.of("x-match", "all", "a", "1"));
      ch.basicPublish(x, "another-key", new AMQP.BasicProperties.Builder().headers(Map.of("a", "1")).build(),
          bytes("m"));
      assertThat(drain(ch, q)).containsExactly("m");
    }

    @Test
    void amqMatchIsAHeadersExchange() throws Exception {
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, "amq.match", "", Map.of("x-match", "any", "tag", q));
      ch.basicPublish("amq.match", "", new AMQP.BasicProperties.Builder().headers(Map.of("tag", q)).build(),
          bytes("m"));
      assertThat(drain(ch, q)).containsExactly("m");
    }

    @Test
    void anInvalidXMatchValueIs406() {
      assertThat(channelCloseOf(() -> {
        String x = exchange(BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", Map.of("x-match", "some"));
      })).isEqualTo("406 PRECONDITION_FAILED - Invalid x-match field value <<\"some\">>; expected all,"
          + " any, all-with-x, or any-with-x");
    }

    @Test
    void anXMatchThatIsABinaryIs406() {
      assertThat(channelCloseOf(() -> {
        String x = exchange(BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", Map.of("x-match", bytes("any")));
      })).isEqualTo("406 PRECONDITION_FAILED - Invalid x-match field type binary (value <<\"any\">>);"
          + " expected longstr");
    }

    @Test
    void anXMatchThatIsNotAStringIs406() {
      assertThat(channelCloseOf(() -> {
        String x = exchange(BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", Map.of("x-match", 1));
      })).isEqualTo("406 PRECONDITION_FAILED - Invalid x-match field type signedint (value 1); expected"
          + " longstr");
    }
  }

  @Nested
  class DefaultExchange {
    @Test
    void everyQueueIsReachableByItsNameThroughTheDefaultExchange() throws Exception {
      String q = ch.queueDeclare(unique("q"), false, false, true, null).getQueue();
      ch.basicPublish("", q, null, bytes("m"));
      ch.basicPublish("", q + "-nothing", null, bytes("lost"));
      assertThat(drain(ch, q)).containsExactly("m");
    }

    @Test
    void bindingAQueueToTheDefaultExchangeIs403() {
      assertThat(channelCloseOf(() -> {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, "", "k");
      })).isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void unbindingAQueueFromTheDefaultExchangeIs403() {
      assertThat(channelCloseOf(() -> {
        String q = ch.queueDeclare().getQueue();
        ch.queueUnbind(q, "", q);
      })).isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void bindingAnExchangeToOrFromTheDefaultExchangeIs403() throws Exception {
      String x = exchange(BuiltinExchangeType.FANOUT);
      assertThat(channelCloseOf(() -> ch.exchangeBind(x, "", "k")))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
      Channel ch2 = conn.createChannel();
      assertThat(channelCloseOf(() -> ch2.exchangeBind("", x, "k")))
          .isEqualTo("403 ACCESS_REFUSED - operation not permitted on the default exchange");
    }

    @Test
    void amqDefaultIsNotTheNameOfAnExchange() {
      assertThat(channelCloseOf(() -> ch.exchangeDeclarePassive("amq.default")))
          .isEqualTo("404 NOT_FOUND - no exchange 'amq.default' in vhost '/'");
    }

    @Test
    void publishingToAMissingExchangeIs404() {
      assertThat(channelCloseOf(() -> {
        ch.basicPublish("no-such-x", "k", null, bytes("m"));
        ch.queueDeclare();
      })).isEqualTo("404 NOT_FOUND - no exchange 'no-such-x' in vhost '/'");
    }
  }

  @Nested
  class ExchangeToExchange {
    @Test
    void aMessageFollowsExchangeBindingsByTheirKeys() throws Exception {
      String src = exchange(BuiltinExchangeType.TOPIC);
      String dst = exchange(BuiltinExchangeType.DIRECT);
      ch.exchangeBind(dst, src, "a.*");
      String q = queueBoundTo(dst, "a.b");
      publish(src, "a.b", "through");
      publish(src, "a.c", "not bound in dst");
      publish(src, "b.b", "not bound in src");
      assertThat(drain(ch, q)).containsExactly("through");
    }

    @Test
    void unbindingTheExchangesStopsTheFlow() throws Exception {
      String src = exchange(BuiltinExchangeType.FANOUT);
      String dst = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeBind(dst, src, "");
      String q = queueBoundTo(dst, "");
      publish(src, "", "before");
      ch.exchangeUnbind(dst, src, "");
      publish(src, "", "after");
      assertThat(drain(ch, q)).containsExactly("before");
    }

    @Test
    void aCycleOfExchangeBindingsDeliversEachQueueOneCopy() throws Exception {
      String x1 = exchange(BuiltinExchangeType.FANOUT);
      String x2 = exchange(BuiltinExchangeType.FANOUT);
      String x3 = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeBind(x2, x1, "");
      ch.exchangeBind(x3, x2, "");
      ch.exchangeBind(x1, x3, "");
      String q1 = queueBoundTo(x1, "");
      String q3 = queueBoundTo(x3, "");
      publish(x2, "", "m");
      assertThat(drain(ch, q1)).containsExactly("m");
      assertThat(drain(ch, q3)).containsExactly("m");
    }

    @Test
    void anExchangeBoundToItselfDeliversOnce() throws Exception {
      String x = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeBind(x, x, "");
      String q = queueBoundTo(x, "");
      publish(x, "", "m");
      assertThat(drain(ch, q)).containsExactly("m");
    }

    @Test
    void aQueueReachedByTwoPathsGetsOneCopy() throws Exception {
      String top = exchange(BuiltinExchangeType.FANOUT);
      String left = exchange(BuiltinExchangeType.FANOUT);
      String right = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeBind(left, top, "");
      ch.exchangeBind(right, top, "");
      String q = queueBoundTo(left, "");
      ch.queueBind(q, right, "");
      ch.queueBind(q, top, "");
      publish(top, "", "m");
      assertThat(drain(ch, q)).containsExactly("m");
    }

    @Test
    void aMandatoryMessageThatReachesOnlyExchangesIsReturned() throws Exception {
      String src = exchange(BuiltinExchangeType.FANOUT);
      String dst = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeBind(dst, src, "");
      LinkedBlockingQueue<String> returns = new LinkedBlockingQueue<>();
      ch.addReturnListener(r -> returns.add(r.getExchange() + " " + text(r.getBody())));
      ch.basicPublish(src, "k", true, null, bytes("nowhere"));
      assertThat(returns.poll(10, TimeUnit.SECONDS)).isEqualTo(src + " nowhere");
    }

    @Test
    void bindingFromAMissingSourceIs404() throws Exception {
      String dst = exchange(BuiltinExchangeType.FANOUT);
      assertThat(channelCloseOf(() -> ch.exchangeBind(dst, "no-such-src", "")))
          .isEqualTo("404 NOT_FOUND - no exchange 'no-such-src' in vhost '/'");
    }

    @Test
    void bindingToAMissingDestinationIs404() throws Exception {
      String src = exchange(BuiltinExchangeType.FANOUT);
      assertThat(channelCloseOf(() -> ch.exchangeBind("no-such-dst", src, "")))
          .isEqualTo("404 NOT_FOUND - no exchange 'no-such-dst' in vhost '/'");
    }

    @Test
    void unbindingAnExchangeBindingThatDoesNotExistSucceeds() throws Exception {
      String src = exchange(BuiltinExchangeType.FANOUT);
      String dst = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeUnbind(dst, src, "never-bound");
      assertThat(ch.isOpen()).isTrue();
    }
  }

  @Nested
  class QueueBindings {
    @Test
    void bindingAMissingQueueIs404() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      assertThat(channelCloseOf(() -> ch.queueBind("no-such-q", x, "k")))
          .isEqualTo("404 NOT_FOUND - no queue 'no-such-q' in vhost '/'");
    }

    @Test
    void bindingToAMissingExchangeIs404() {
      assertThat(channelCloseOf(() -> {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, "no-such-x", "k");
      })).isEqualTo("404 NOT_FOUND - no exchange 'no-such-x' in vhost '/'");
    }

    @Test
    void bindingWhenBothAreMissingNamesTheExchange() {
      assertThat(channelCloseOf(() -> ch.queueBind("no-such-q", "no-such-x", "k")))
          .isEqualTo("404 NOT_FOUND - no exchange 'no-such-x' in vhost '/'");
    }

    @Test
    void unbindingABindingThatDoesNotExistSucceeds() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      String q = ch.queueDeclare().getQueue();
      ch.queueUnbind(q, x, "never-bound");
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void unbindingFromAMissingExchangeOrQueueSucceeds() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      String q = ch.queueDeclare().getQueue();
      ch.queueUnbind(q, "no-such-x", "k");
      ch.queueUnbind("no-such-q", x, "k");
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void bindingTwiceIsIdempotent() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT);
      String q = queueBoundTo(x, "k");
      ch.queueBind(q, x, "k");
      ch.queueUnbind(q, x, "k");
      publish(x, "k", "unbound after one unbind");
      assertThat(drain(ch, q)).isEmpty();
    }
  }

  @Nested
  class AlternateExchange {
    @Test
    void anUnroutableMessageGoesToTheAlternateExchange() throws Exception {
      String ae = exchange(BuiltinExchangeType.FANOUT);
      String aeQueue = queueBoundTo(ae, "");
      String x = exchange(BuiltinExchangeType.DIRECT, Map.of("alternate-exchange", ae));
      String q = queueBoundTo(x, "routed");
      publish(x, "routed", "to-q");
      publish(x, "other", "to-ae");
      assertThat(drain(ch, q)).containsExactly("to-q");
      assertThat(drain(ch, aeQueue)).containsExactly("to-ae");
    }

    @Test
    void alternateExchangesChain() throws Exception {
      String ae2 = exchange(BuiltinExchangeType.FANOUT);
      String last = queueBoundTo(ae2, "");
      String ae1 = exchange(BuiltinExchangeType.DIRECT, Map.of("alternate-exchange", ae2));
      String x = exchange(BuiltinExchangeType.DIRECT, Map.of("alternate-exchange", ae1));
      publish(x, "k", "m");
      assertThat(drain(ch, last)).containsExactly("m");
    }

    @Test
    void aCycleOfAlternateExchangesEnds() throws Exception {
      String a = unique("x-ae-a");
      String b = unique("x-ae-b");
      ch.exchangeDeclare(a, BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", b));
      ch.exchangeDeclare(b, BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", a));
      String q = queueBoundTo(b, "known");
      publish(a, "unknown", "dropped");
      publish(a, "known", "via-b");
      assertThat(drain(ch, q)).containsExactly("via-b");
    }

    @Test
    void aMissingAlternateExchangeMeansUnroutable() throws Exception {
      String x = exchange(BuiltinExchangeType.DIRECT, Map.of("alternate-exchange", unique("missing")));
      LinkedBlockingQueue<String> returns = new LinkedBlockingQueue<>();
      ch.addReturnListener(r -> returns.add(r.getReplyCode() + " " + r.getReplyText() + " " + text(r.getBody())));
      ch.basicPublish(x, "k", true, null, bytes("back"));
      assertThat(returns.poll(10, TimeUnit.SECONDS)).isEqualTo("312 NO_ROUTE back");
    }

    @Test
    void aMandatoryMessageRoutedByTheAlternateExchangeIsNotReturned() throws Exception {
      String ae = exchange(BuiltinExchangeType.FANOUT);
      String aeQueue = queueBoundTo(ae, "");
      String x = exchange(BuiltinExchangeType.DIRECT, Map.of("alternate-exchange", ae));
      List<String> returns = new ArrayList<>();
      ch.addReturnListener(r -> returns.add(text(r.getBody())));
      ch.basicPublish(x, "k", true, null, bytes("kept"));
      assertThat(drain(ch, aeQueue)).containsExactly("kept");
      assertThat(returns).isEmpty();
    }

    @Test
    void theAlternateOfAnExchangeReachedByABindingCatchesWhatItCannotRoute() throws Exception {
      String ae = exchange(BuiltinExchangeType.FANOUT);
      String aeQueue = queueBoundTo(ae, "");
      String inner = exchange(BuiltinExchangeType.DIRECT, Map.of("alternate-exchange", ae));
      String outer = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeBind(inner, outer, "");
      String q = queueBoundTo(inner, "known");
      publish(outer, "known", "to-q");
      publish(outer, "unknown", "to-ae");
      assertThat(drain(ch, q)).containsExactly("to-q");
      assertThat(drain(ch, aeQueue)).containsExactly("to-ae");
    }

    @Test
    void anInternalExchangeMayServeAsAlternate() throws Exception {
      String ae = unique("x-internal-ae");
      ch.exchangeDeclare(ae, BuiltinExchangeType.FANOUT, false, false, true, Map.of());
      String aeQueue = queueBoundTo(ae, "");
      String x = exchange(BuiltinExchangeType.DIRECT, Map.of("alternate-exchange", ae));
      publish(x, "k", "m");
      assertThat(drain(ch, aeQueue)).containsExactly("m");
    }

    @Test
    void theAlternateIsNotUsedWhenTheExchangeRoutesToAnotherExchange() throws Exception {
      String ae = exchange(BuiltinExchangeType.FANOUT);
      String aeQueue = queueBoundTo(ae, "");
      String x = exchange(BuiltinExchangeType.FANOUT, Map.of("alternate-exchange", ae));
      String empty = exchange(BuiltinExchangeType.FANOUT);
      ch.exchangeBind(empty, x, "");
      publish(x, "k", "lost");
      assertThat(drain(ch, aeQueue)).isEmpty();
    }
  }
}
