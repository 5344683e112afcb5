package io.warrenmq.it.management;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import io.warrenmq.it.support.ManagementHttp.Reply;
import io.warrenmq.it.support.Messaging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message statistics as the management HTTP API answers them (RabbitMQ 3.13.7's
 * rabbit_mgmt_db through rabbit_mgmt_wm_*), after known traffic from the real Java client, with a
 * short collect_statistics_interval: exact counts on the queue, the exchange, the channels, the
 * vhost and a management user's overview; rates once a tick saw traffic; samples with
 * {@code ?lengths_age=...}; {@code ?disable_stats=true} leaving them out; sorting by a statistics
 * column. The traffic runs in a vhost of its own ("sv") as a user who sees only that vhost.
 */
class MessageStatsApiIT {
  @RegisterExtension
  static final BrokerExtension broker = BrokerExtension.withManagement(Map.of("collect_statistics_interval", "200"));

  private static final int ROUTED = 20;
  private static final int RETURNED = 3;
  private static final int DROPPED = 2;
  private static Connection publisher;
  private static Connection consumer;

  private static ManagementHttp guest() {
    return ManagementHttp.guest(broker);
  }

  private static ManagementHttp statsUser() {
    return ManagementHttp.as(broker, "statsuser", "pw");
  }

  private static ConnectionFactory svFactory() {
    ConnectionFactory f = broker.factory();
    f.setVirtualHost("sv");
    f.setUsername("statsuser");
    f.setPassword("pw");
    return f;
  }

  /**
   * 20 messages through exchange sx to queue sq in confirm mode, 3 returned and 2 dropped
   * unroutable; then on another channel: 2 basic.get acked, 1 basic.get without ack, 1 basic.get
   * rejected and requeued, 18 deliveries to a consumer (one of them redelivered) acked, 1 empty
   * basic.get.
   */
  @BeforeAll
  static void traffic() throws Exception {
    var b = broker.server().broker();
    b.addVhost("sv");
    b.addVhost("busy");
    b.setPermission("guest", "busy", new Permission(".*", ".*", ".*"));
    b.addUser("statsuser", "pw", List.of("management"));
    b.setPermission("statsuser", "sv", new Permission(".*", ".*", ".*"));
    b.setPermission("guest", "sv", new Permission(".*", ".*", ".*"));
    publisher = svFactory().newConnection("stats-publisher");
    Channel pub = publisher.createChannel();
    pub.exchangeDeclare("sx", "direct");
    pub.queueDeclare("sq", false, false, false, null);
    pub.queueBind("sq", "sx", "k");
    pub.confirmSelect();
    for (int i = 0; i < ROUTED; i++) {
      pub.basicPublish("sx", "k", null, Messaging.bytes("m" + i));
    }
    for (int i = 0; i < RETURNED; i++) {
      pub.basicPublish("sx", "nowhere", true, null, Messaging.bytes("r" + i));
    }
    for (int i = 0; i < DROPPED; i++) {
      pub.basicPublish("sx", "nowhere", false, null, Messaging.bytes("d" + i));
    }
    pub.waitForConfirmsOrDie(10_000);

    consumer = svFactory().newConnection("stats-consumer");
    Channel ch = consumer.createChannel();
    for (int i = 0; i < 2; i++) {
      ch.basicAck(ch.basicGet("sq", false).getEnvelope().getDeliveryTag(), false);
    }
    assertThat(ch.basicGet("sq", true)).isNotNull();
    GetResponse rejected = ch.basicGet("sq", false);
    ch.basicReject(rejected.getEnvelope().getDeliveryTag(), true);
    CountDownLatch delivered = new CountDownLatch(ROUTED - 3);
    String tag = ch.basicConsume("sq", false, new DefaultConsumer(ch) {
      @Override
      public void handleDelivery(String t, Envelope e, AMQP.BasicProperties p, byte[] body) throws IOException {
        getChannel().basicAck(e.getDeliveryTag(), false);
        delivered.countDown();
      }
    });
    assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
    ch.basicCancel(tag);
    assertThat(ch.basicGet("sq", false)).isNull();
    ch.queueDeclarePassive("sq"); // a round trip after the last ack
  }

  @AfterAll
  static void close() throws IOException {
    publisher.close();
    consumer.close();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertThat(v).as(key + " of " + m).isInstanceOf(Map.class);
    return (Map<String, Object>) v;
  }

  private static long count(Map<String, Object> m, String key) {
    assertThat(m).as("the statistics").containsKey(key);
    return ((Number) m.get(key)).longValue();
  }

  /**
   * The rate of {@code message_stats.key}, 0 while the object has no such count yet (message_stats
   * appears with the first message counted).
   */
  @SuppressWarnings("unchecked")
  private static double statsRate(Map<String, Object> object, String key) {
    Object ms = object.get("message_stats");
    return ms instanceof Map<?, ?> m && m.containsKey(key + "_details") ? rate((Map<String, Object>) m, key) : 0.0;
  }

  private static double rate(Map<String, Object> m, String key) {
    return ((Number) map(m, key + "_details").get("rate")).doubleValue();
  }

  /** The connection whose client named it {@code clientName} (connection_name), as guest sees it. */
  private static Map<String, Object> connectionNamed(String clientName) {
    return guest().get("/api/connections").jsonList().stream()
        .filter(x -> clientName.equals(map(x, "client_properties").get("connection_name"))).findFirst()
        .orElseThrow();
  }

  /** The channel of that connection. */
  private static Map<String, Object> channelNamed(String clientName) {
    Object conn = connectionNamed(clientName).get("name");
    return guest().get("/api/channels").jsonList().stream()
        .filter(c -> map(c, "connection_details").get("name").equals(conn)).findFirst().orElseThrow();
  }

  /** guest on vhost "busy", where the tests that add traffic run (sv's figures stay exact). */
  private static ConnectionFactory busyFactory() {
    ConnectionFactory f = broker.factory();
    f.setVirtualHost("busy");
    return f;
  }

  @Test
  void theQueueCountsWhatWasPublishedToItAndDeliveredFromIt() {
    Map<String, Object> q = statsUser().get("/api/queues/sv/sq").json();
    Map<String, Object> ms = map(q, "message_stats");
    assertThat(count(ms, "publish")).isEqualTo(ROUTED);
    assertThat(count(ms, "get")).isEqualTo(3);
    assertThat(count(ms, "get_no_ack")).isEqualTo(1);
    assertThat(count(ms, "deliver")).isEqualTo(ROUTED - 3);
    assertThat(count(ms, "deliver_no_ack")).isZero();
    assertThat(count(ms, "redeliver")).isEqualTo(1);
    assertThat(count(ms, "ack")).isEqualTo(ROUTED - 1);
    assertThat(count(ms, "get_empty")).isEqualTo(1);
    assertThat(count(ms, "deliver_get")).isEqualTo(3 + 1 + ROUTED - 3);
    assertThat(ms).containsKeys("publish_details", "deliver_get_details", "ack_details")
        .doesNotContainKeys("confirm", "return_unroutable");
    assertThat(map(ms, "publish_details")).containsKey("rate");
    assertThat(q).containsKeys("messages_details", "messages_ready_details", "messages_unacknowledged_details");
    assertThat(count(q, "messages")).isZero();
    // rates_mode basic: the detail page's per-pair breakdowns are empty, as RabbitMQ's
    assertThat(q).containsEntry("deliveries", List.of()).containsEntry("incoming", List.of());
    // the listings carry the same figures
    Map<String, Object> listed = statsUser().get("/api/queues/sv").jsonList().getFirst();
    assertThat(count(map(listed, "message_stats"), "publish")).isEqualTo(ROUTED);
    Map<String, Object> detailed = statsUser().get("/api/queues/detailed").jsonList().getFirst();
    assertThat(count(map(detailed, "message_stats"), "ack")).isEqualTo(ROUTED - 1);
  }

  @Test
  void theExchangeCountsMessagesInAndOut() {
    Map<String, Object> x = statsUser().get("/api/exchanges/sv/sx").json();
    Map<String, Object> ms = map(x, "message_stats");
    assertThat(count(ms, "publish_in")).isEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(count(ms, "publish_out")).isEqualTo(ROUTED);
    assertThat(x).containsEntry("incoming", List.of()).containsEntry("outgoing", List.of());
    Map<String, Object> listed = statsUser().get("/api/exchanges/sv").jsonList().stream()
        .filter(e -> e.get("name").equals("sx")).findFirst().orElseThrow();
    assertThat(count(map(listed, "message_stats"), "publish_in")).isEqualTo(ROUTED + RETURNED + DROPPED);
    // an exchange nothing went through has no message_stats (rabbit_mgmt_db renders none)
    Map<String, Object> idle = statsUser().get("/api/exchanges/sv/amq.topic").json();
    assertThat(idle).doesNotContainKey("message_stats");
  }

  @Test
  void eachChannelCountsItsOwnTraffic() {
    Map<String, Object> pub = map(channelNamed("stats-publisher"), "message_stats");
    assertThat(count(pub, "publish")).isEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(count(pub, "confirm")).isEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(count(pub, "return_unroutable")).isEqualTo(RETURNED);
    assertThat(count(pub, "drop_unroutable")).isEqualTo(DROPPED);
    assertThat(pub).doesNotContainKey("deliver");
    Map<String, Object> sub = channelNamed("stats-consumer");
    Map<String, Object> ms = map(sub, "message_stats");
    assertThat(count(ms, "get")).isEqualTo(3);
    assertThat(count(ms, "deliver")).isEqualTo(ROUTED - 3);
    assertThat(count(ms, "ack")).isEqualTo(ROUTED - 1);
    assertThat(count(ms, "get_empty")).isEqualTo(1);
    assertThat(ms).doesNotContainKey("publish");
    // the channel's own page and its connection's channel list say the same
    String name = ManagementHttp.enc(sub.get("name").toString());
    Map<String, Object> page = guest().get("/api/channels/" + name).json();
    assertThat(count(map(page, "message_stats"), "ack")).isEqualTo(ROUTED - 1);
    assertThat(page).containsEntry("publishes", List.of()).containsEntry("deliveries", List.of());
    String conn = ManagementHttp.enc(map(sub, "connection_details").get("name").toString());
    assertThat(count(map(guest().get("/api/connections/" + conn + "/channels").jsonList().getFirst(), "message_stats"),
        "deliver")).isEqualTo(ROUTED - 3);
  }

  @Test
  void aConnectionHasItsTrafficWithRates() {
    Map<String, Object> c = statsUser().get("/api/connections").jsonList().stream()
        .filter(x -> "stats-publisher".equals(map(x, "client_properties").get("connection_name"))).findFirst()
        .orElseThrow();
    assertThat(count(c, "recv_oct")).isPositive();
    assertThat(count(c, "send_oct")).isPositive();
    assertThat(map(c, "recv_oct_details")).containsKey("rate");
    assertThat(map(c, "send_oct_details")).containsKey("rate");
  }

  @Test
  void theVhostSumsItsChannelsAndQueues() {
    Map<String, Object> v = guest().get("/api/vhosts/sv").json();
    Map<String, Object> ms = map(v, "message_stats");
    assertThat(count(ms, "publish")).isEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(count(ms, "confirm")).isEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(count(ms, "return_unroutable")).isEqualTo(RETURNED);
    assertThat(count(ms, "drop_unroutable")).isEqualTo(DROPPED);
    assertThat(count(ms, "deliver_get")).isEqualTo(3 + 1 + ROUTED - 3);
    assertThat(count(ms, "ack")).isEqualTo(ROUTED - 1);
    assertThat(count(v, "messages")).isZero();
    assertThat(v).containsKeys("messages_details", "messages_ready", "messages_unacknowledged");
    assertThat(count(v, "recv_oct")).isPositive();
    assertThat(count(v, "send_oct")).isPositive();
    Map<String, Object> listed = statsUser().get("/api/vhosts").jsonList().getFirst();
    assertThat(listed).containsEntry("name", "sv");
    assertThat(count(map(listed, "message_stats"), "publish")).isEqualTo(ROUTED + RETURNED + DROPPED);
  }

  @Test
  void aManagementUsersOverviewHasItsVhostsTotalsAndItsOwnConnections() {
    Map<String, Object> o = statsUser().get("/api/overview").json();
    Map<String, Object> ms = map(o, "message_stats");
    assertThat(count(ms, "publish")).isEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(count(ms, "deliver_get")).isEqualTo(3 + 1 + ROUTED - 3);
    assertThat(count(ms, "return_unroutable")).isEqualTo(RETURNED);
    assertThat(map(o, "queue_totals")).containsEntry("messages", 0).containsKey("messages_details");
    // rabbit_mgmt_db:overview(User): consumers only for monitors, the user's own connections and channels
    assertThat(map(o, "object_totals")).isEqualTo(Map.of("queues", 1, "exchanges", 8, "connections", 2,
        "channels", 2));
    assertThat(map(o, "churn_rates")).containsKeys("connection_created", "connection_created_details",
        "queue_declared", "queue_deleted", "channel_closed");
    assertThat(o).containsEntry("rates_mode", "basic").containsEntry("sample_retention_policies",
        Map.of("global", List.of(600, 3600, 28800, 86400), "basic", List.of(600, 3600), "detailed", List.of()));
  }

  @Test
  void theMonitorsOverviewCountsEveryVhostAndTheConsumers() {
    Map<String, Object> o = guest().get("/api/overview").json();
    assertThat(count(map(o, "message_stats"), "publish")).isGreaterThanOrEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(map(o, "object_totals")).containsKeys("consumers", "queues", "exchanges", "connections", "channels");
    assertThat(count(map(o, "churn_rates"), "connection_created")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void ratesAppearOnceATickSawTraffic() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    try (Connection c = busyFactory().newConnection("stats-rates")) {
      Channel ch = c.createChannel();
      ch.queueDeclare("rq", false, true, false, null);
      Thread t = Thread.ofVirtual().start(() -> {
        while (running.get()) {
          try {
            ch.basicPublish("", "rq", null, new byte[] {1});
            Thread.sleep(2);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      try {
        eventually(Duration.ofSeconds(15), "publish rates on the queue, vhost, overview and channel", () -> {
          double queue = statsRate(guest().get("/api/queues/busy/rq").json(), "publish");
          double vhost = statsRate(guest().get("/api/vhosts/busy").json(), "publish");
          double overview = statsRate(guest().get("/api/overview").json(), "publish");
          double channel = statsRate(channelNamed("stats-rates"), "publish");
          return queue > 0 && vhost > 0 && overview > 0 && channel > 0;
        });
        eventually(Duration.ofSeconds(15), "a growing queue's messages rate and the connection's recv rate", () -> {
          double depth = rate(guest().get("/api/queues/busy/rq").json(), "messages");
          double exchange = statsRate(guest().get("/api/exchanges/busy/amq.default").json(), "publish_in");
          return depth > 0 && exchange > 0 && rate(connectionNamed("stats-rates"), "recv_oct") > 0;
        });
      } finally {
        running.set(false);
        t.join(5000);
      }
    }
  }

  @Test
  void rangesAddSamplesNewestFirst() {
    String ranges = "lengths_age=60&lengths_incr=1&msg_rates_age=60&msg_rates_incr=1";
    eventually(Duration.ofSeconds(15), "samples in the overview and on the queue", () -> {
      Map<String, Object> o = statsUser().get("/api/overview?" + ranges).json();
      Map<String, Object> q = statsUser().get("/api/queues/sv/sq?" + ranges).json();
      List<Map<String, Object>> published = samples(map(map(o, "message_stats"), "publish_details"));
      return published.size() >= 2
          && ((Number) published.getFirst().get("sample")).longValue() == ROUTED + RETURNED + DROPPED
          && samples(map(map(o, "queue_totals"), "messages_details")).size() >= 2
          && samples(map(map(q, "message_stats"), "publish_details")).size() >= 2
          && samples(map(q, "messages_details")).size() >= 2;
    });
    Map<String, Object> o = statsUser().get("/api/overview?" + ranges).json();
    Map<String, Object> publish = map(map(o, "message_stats"), "publish_details");
    List<Map<String, Object>> s = samples(publish);
    // newest first: the count at each point, never more than the total published
    assertThat(((Number) s.getFirst().get("sample")).longValue()).isEqualTo(ROUTED + RETURNED + DROPPED);
    assertThat(s).allSatisfy(x -> assertThat(((Number) x.get("sample")).longValue()).isLessThanOrEqualTo(
        ROUTED + RETURNED + DROPPED));
    long newest = ((Number) s.getFirst().get("timestamp")).longValue();
    long next = ((Number) s.get(1).get("timestamp")).longValue();
    assertThat(newest - next).isEqualTo(1000);
    assertThat(publish).containsKeys("rate", "avg_rate", "avg");
    // a connection's byte rates take the data_rates range
    eventually(Duration.ofSeconds(15), "samples of a connection's byte rates", () -> {
      Map<String, Object> conn = statsUser().get("/api/connections?data_rates_age=60&data_rates_incr=1")
          .jsonList().getFirst();
      return !samples(map(conn, "recv_oct_details")).isEmpty();
    });
    // without a range, no samples
    assertThat(map(map(statsUser().get("/api/overview").json(), "message_stats"), "publish_details"))
        .doesNotContainKey("samples");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> samples(Map<String, Object> details) {
    return (List<Map<String, Object>>) details.getOrDefault("samples", List.of());
  }

  @Test
  void anInvalidRangeIsRabbitMqsBadRequest() {
    Reply r = statsUser().get("/api/queues/sv?lengths_age=0&lengths_incr=5");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json()).containsEntry("error", "bad_request")
        .containsEntry("reason", "Invalid range parameters: age 0, incr 5");
    assertThat(statsUser().get("/api/overview?msg_rates_age=600&msg_rates_incr=1").status()).isEqualTo(400);
    // disable_stats reads no range
    assertThat(statsUser().get("/api/queues/sv?disable_stats=true&lengths_age=0&lengths_incr=5").status())
        .isEqualTo(200);
  }

  @Test
  void disableStatsLeavesTheStatisticsOut() {
    Map<String, Object> q = statsUser().get("/api/queues/sv?disable_stats=true").jsonList().getFirst();
    assertThat(q).containsEntry("name", "sq").doesNotContainKeys("message_stats", "messages", "messages_details");
    Map<String, Object> totals = statsUser().get("/api/queues/sv?disable_stats=true&enable_queue_totals=true")
        .jsonList().getFirst();
    assertThat(totals).containsEntry("messages", 0).doesNotContainKeys("message_stats", "messages_details");
    assertThat(statsUser().get("/api/queues/sv/sq?disable_stats=true").json()).doesNotContainKey("message_stats");
    assertThat(statsUser().get("/api/exchanges/sv/sx?disable_stats=true").json()).doesNotContainKey("message_stats");
    assertThat(statsUser().get("/api/exchanges/sv?disable_stats=true").jsonList())
        .allSatisfy(x -> assertThat(x).doesNotContainKey("message_stats"));
    assertThat(guest().get("/api/vhosts/sv?disable_stats=true").json())
        .doesNotContainKeys("message_stats", "messages", "recv_oct");
    assertThat(statsUser().get("/api/vhosts?disable_stats=true").jsonList().getFirst())
        .doesNotContainKeys("message_stats", "messages");
    Map<String, Object> o = statsUser().get("/api/overview?disable_stats=true").json();
    assertThat(o).doesNotContainKeys("message_stats", "churn_rates", "queue_totals")
        .containsEntry("rates_mode", "basic");
    assertThat(statsUser().get("/api/connections?disable_stats=true").jsonList())
        .allSatisfy(c -> assertThat(c).containsOnlyKeys("name", "vhost", "user", "node"));
    assertThat(statsUser().get("/api/channels?disable_stats=true").status()).isEqualTo(400);
  }

  @Test
  void listingsSortByAStatisticsColumn() throws Exception {
    try (Connection c = busyFactory().newConnection(); Channel ch = c.createChannel()) {
      for (String name : List.of("sort.a", "sort.b", "sort.c")) {
        ch.queueDeclare(name, false, false, true, null);
      }
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "sort.b", null, new byte[] {1});
      }
      ch.basicPublish("", "sort.c", null, new byte[] {1});
      ch.queueDeclarePassive("sort.c");
      Map<String, Object> reversed = guest().get("/api/queues/busy?page=1&name=sort.&sort=message_stats.publish"
          + "&sort_reverse=true&columns=name").json();
      assertThat(reversed.get("items")).isEqualTo(List.of(Map.of("name", "sort.b"), Map.of("name", "sort.c"),
          Map.of("name", "sort.a")));
      Map<String, Object> page = guest().get("/api/queues/busy?page=1&page_size=2&name=sort."
          + "&sort=message_stats.publish&columns=name,message_stats.publish").json();
      assertThat(page.get("items")).isEqualTo(List.of(Map.of("name", "sort.a"),
          Map.of("name", "sort.c", "message_stats", Map.of("publish", 1))));
      // by a rate: the answer is in that column's order
      List<Map<String, Object>> byRate = guest().get(
          "/api/queues/busy?sort=message_stats.publish_details.rate&sort_reverse=true").jsonList();
      List<Double> rates = byRate.stream().map(q -> q.get("message_stats") instanceof Map<?, ?> m
          ? ((Number) ((Map<?, ?>) m.get("publish_details")).get("rate")).doubleValue() : 0.0).toList();
      assertThat(rates).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }
  }
}
