package io.warrenmq.it.ctl;

import static io.warrenmq.it.support.Eventually.eventually;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.WarrenctlScript;
import io.warrenmq.it.support.WarrenctlScript.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * rabbitmqctl's connection verbs through the real bin/warrenctl: list_connections, list_channels
 * and list_consumers with rabbitmqctl 3.13's default columns and info items, close_connection and
 * close_all_connections seen by the Java client as connection.close 320 with the reason.
 */
class ConnectionCommandsIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static final String PID = "<warren@[^>]+\\.\\d+\\.\\d+\\.0>";

  private final List<Connection> opened = new ArrayList<>();

  @AfterEach
  void closeConnections() {
    opened.forEach(Connection::abort);
  }

  static Result ctl(String... args) throws Exception {
    return WarrenctlScript.run(broker, args);
  }

  static Result ok(String... args) throws Exception {
    Result r = ctl(args);
    assertThat(r.code()).as("warrenctl %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  private Connection open(ConnectionFactory f, String name) throws Exception {
    Connection c = f.newConnection(name);
    opened.add(c);
    return c;
  }

  /** The row of list_connections (with {@code items}, client_properties last) of connection {@code name}. */
  private static List<String> connectionRow(String name, String... items) throws Exception {
    List<String> args = new ArrayList<>(List.of("list_connections"));
    args.addAll(List.of(items));
    args.add("client_properties");
    return ok(args.toArray(String[]::new)).rows().stream()
        .filter(r -> r.getLast().contains("{\"connection_name\",\"" + name + "\"}"))
        .findFirst().orElseThrow(() -> new AssertionError("no connection " + name));
  }

  /** The client's port, the connection's peer_port. */
  private static String localPort(Connection c) {
    return Integer.toString(((com.rabbitmq.client.impl.NetworkConnection) c).getLocalPort());
  }

  private static BlockingQueue<ShutdownSignalException> closes(Connection c) {
    BlockingQueue<ShutdownSignalException> q = new ArrayBlockingQueue<>(1);
    c.addShutdownListener(q::add);
    return q;
  }

  private static AMQP.Connection.Close awaitClose(BlockingQueue<ShutdownSignalException> q) throws Exception {
    ShutdownSignalException s = q.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("the connection was closed by the broker").isNotNull();
    assertThat(s.isHardError()).isTrue();
    assertThat(s.isInitiatedByApplication()).as("initiated by the broker").isFalse();
    return (AMQP.Connection.Close) s.getReason();
  }

  @Nested
  class ListConnections {
    @Test
    void theDefaultColumnsAreUserPeerHostPeerPortAndState() throws Exception {
      Connection c = open(broker.factory(), unique("lc-default"));
      Result r = ok("list_connections");
      assertThat(r.out().lines().findFirst().orElseThrow()).isEqualTo("Listing connections ...");
      assertThat(r.header()).containsExactly("user", "peer_host", "peer_port", "state");
      assertThat(r.rows()).contains(List.of("guest", "127.0.0.1", localPort(c), "running"));
    }

    @Test
    void everyInfoItemHasRabbitmqsValue() throws Exception {
      ConnectionFactory f = broker.factory();
      f.setRequestedHeartbeat(30);
      String name = unique("lc-items");
      long before = System.currentTimeMillis();
      Connection c = open(f, name);
      c.createChannel();
      List<String> row = connectionRow(name, "pid", "name", "port", "host", "peer_port", "peer_host", "ssl",
          "ssl_protocol", "state", "channels", "protocol", "auth_mechanism", "user", "vhost", "timeout", "frame_max",
          "channel_max", "recv_oct", "recv_cnt", "send_oct", "send_cnt", "send_pend", "connected_at");
      String local = localPort(c);
      assertThat(row.get(0)).matches(PID);
      assertThat(row.subList(1, 17)).containsExactly("127.0.0.1:" + local + " -> 127.0.0.1:" + broker.port(),
          Integer.toString(broker.port()), "127.0.0.1", local, "127.0.0.1", "false", "", "running", "1", "{0,9,1}",
          "PLAIN", "guest", "/", "30", Integer.toString(c.getFrameMax()), Integer.toString(c.getChannelMax()));
      assertThat(Long.parseLong(row.get(17))).as("recv_oct").isGreaterThan(100);
      assertThat(Long.parseLong(row.get(18))).as("recv_cnt").isPositive();
      assertThat(Long.parseLong(row.get(19))).as("send_oct").isGreaterThan(100);
      assertThat(Long.parseLong(row.get(20))).as("send_cnt").isPositive();
      assertThat(Long.parseLong(row.get(21))).as("send_pend").isNotNegative();
      assertThat(Long.parseLong(row.get(22))).as("connected_at, epoch ms").isBetween(before - 1000, before + 60_000);
    }

    @Test
    void clientPropertiesArePrintedAsRabbitmqctlPrintsAnAmqpTable() throws Exception {
      String name = unique("lc-props");
      open(broker.factory(), name);
      String props = connectionRow(name).getLast();
      // FormatterHelpers.format_info_item: [{Key, Value}] printed by ~tp on one line
      assertThat(props).startsWith("[{\"").endsWith("}]")
          .contains("{\"product\",\"RabbitMQ\"}", "{\"platform\",\"Java\"}", "{\"connection_name\",\"" + name + "\"}")
          .contains("{\"capabilities\",[{\"", "{\"publisher_confirms\",true}", "{\"authentication_failure_close\",true}");
    }

    @Test
    void commaSeparatedItemsAndUnknownItems() throws Exception {
      String name = unique("lc-comma");
      Connection c = open(broker.factory(), name);
      assertThat(ok("list_connections", "peer_port,user").rows()).contains(List.of(localPort(c), "guest"));
      Result bad = ctl("list_connections", "name", "colour");
      assertThat(bad.code()).isEqualTo(2);
      assertThat(bad.err()).contains("unknown column 'colour'");
    }
  }

  @Nested
  class ListChannels {
    @Test
    void theDefaultColumnsArePidUserConsumerCountAndUnacknowledged() throws Exception {
      String q = unique("lch-q");
      Connection c = open(broker.factory(), unique("lch-default"));
      Channel ch = c.createChannel();
      ch.queueDeclare(q, false, false, true, null);
      for (int i = 0; i < 3; i++) {
        ch.basicPublish("", q, null, new byte[] {1});
      }
      ch.basicConsume(q, false, (t, d) -> { }, t -> { });
      eventually("three deliveries unacknowledged", () -> rows("list_channels").stream()
          .anyMatch(r -> r.subList(1, 4).equals(List.of("guest", "1", "3"))));
      Result r = ok("list_channels");
      assertThat(r.out().lines().findFirst().orElseThrow()).isEqualTo("Listing channels ...");
      assertThat(r.header()).containsExactly("pid", "user", "consumer_count", "messages_unacknowledged");
      assertThat(r.rows()).anySatisfy(row -> {
        assertThat(row.get(0)).matches(PID);
        assertThat(row.subList(1, 4)).containsExactly("guest", "1", "3");
      });
    }

    @Test
    void everyInfoItemHasRabbitmqsValue() throws Exception {
      String name = unique("lch-items");
      Connection c = open(broker.factory(), name);
      Channel confirming = c.createChannel();
      confirming.confirmSelect();
      confirming.basicQos(5);
      confirming.basicQos(7, true);
      Channel tx = c.createChannel();
      String q = unique("lch-tx");
      tx.queueDeclare(q, false, false, true, null);
      confirming.basicPublish("", q, null, new byte[] {0});
      confirming.waitForConfirmsOrDie(10_000);
      tx.txSelect();
      // in a transaction an ack leaves the unacknowledged for the uncommitted acks (rabbit_channel)
      tx.basicAck(tx.basicGet(q, false).getEnvelope().getDeliveryTag(), false);
      tx.basicPublish("", q, null, new byte[] {1});
      tx.basicPublish("", q, null, new byte[] {2});
      tx.queueDeclarePassive(q); // a round trip: the ack and both publishes are in
      String connPid = connectionRow(name, "pid").getFirst();
      String connName = connectionRow(name, "name").getFirst();

      List<List<String>> rows = ok("list_channels", "pid", "connection", "name", "number", "user", "vhost",
          "transactional", "confirm", "consumer_count", "messages_unacknowledged", "messages_uncommitted",
          "acks_uncommitted", "messages_unconfirmed", "prefetch_count", "global_prefetch_count").rows().stream()
          .filter(r -> r.get(1).equals(connPid)).toList();

      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).get(0)).matches(PID).isNotEqualTo(rows.get(1).get(0)).isNotEqualTo(connPid);
      assertThat(rows.get(0).subList(2, 15)).containsExactly(connName + " (1)", "1", "guest", "/", "false", "true",
          "0", "0", "0", "0", "0", "5", "7");
      assertThat(rows.get(1).subList(2, 15)).containsExactly(connName + " (2)", "2", "guest", "/", "true", "false",
          "0", "0", "2", "1", "0", "0", "0");
    }
  }

  @Nested
  class ListConsumers {
    @Test
    void consumersShowTheirChannelsPidAndWhetherTheyAreActive() throws Exception {
      String q = unique("lcons-sac");
      String name = unique("lcons");
      Connection c = open(broker.factory(), name);
      Channel ch = c.createChannel();
      ch.queueDeclare(q, false, false, true, Map.of("x-single-active-consumer", true));
      ch.basicQos(3);
      String first = ch.basicConsume(q, false, "first-" + q, false, false, Map.of("x-priority", 5), (t, d) -> { }, t -> { });
      Channel other = c.createChannel();
      String second = other.basicConsume(q, true, "second-" + q, (t, d) -> { }, t -> { });
      String connPid = connectionRow(name, "pid").getFirst();
      String chPid = rows("list_channels", "pid", "connection", "number").stream()
          .filter(r -> r.get(1).equals(connPid) && r.get(2).equals("1")).map(List::getFirst).findFirst().orElseThrow();

      Result r = ok("list_consumers");
      assertThat(r.out().lines().findFirst().orElseThrow()).isEqualTo("Listing consumers in vhost / ...");
      assertThat(r.header()).containsExactly("queue_name", "channel_pid", "consumer_tag", "ack_required",
          "prefetch_count", "active", "arguments");
      assertThat(r.rows()).contains(List.of(q, chPid, first, "true", "3", "true", "[{\"x-priority\",5}]"));
      assertThat(r.rows()).anySatisfy(row -> assertThat(row).containsExactly(q, row.get(1), second, "false", "0",
          "false", "[]"));
      assertThat(ok("list_consumers", "consumer_tag", "activity_status").rows())
          .contains(List.of(first, "single_active"), List.of(second, "waiting"));
    }

    @Test
    void consumersOfAnotherVhostAreListedWithP() throws Exception {
      String vhost = unique("lcons-vh");
      ok("add_vhost", vhost);
      ok("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
      ConnectionFactory f = broker.factory();
      f.setVirtualHost(vhost);
      Channel ch = open(f, unique("lcons-vh")).createChannel();
      ch.queueDeclare("vq", false, false, true, null);
      String tag = ch.basicConsume("vq", true, (t, d) -> { }, t -> { });
      assertThat(ok("list_consumers", "-p", vhost, "queue_name", "consumer_tag", "activity_status").rows())
          .containsExactly(List.of("vq", tag, "up"));
      assertThat(ok("list_consumers", "consumer_tag").rows()).doesNotContain(List.of(tag));
    }
  }

  @Nested
  class CloseConnection {
    @Test
    void closingByPidSendsConnectionForcedWithTheReasonAsText() throws Exception {
      String name = unique("close-pid");
      Connection c = open(broker.factory(), name);
      BlockingQueue<ShutdownSignalException> closed = closes(c);
      String pid = connectionRow(name, "pid").getFirst();

      Result r = ok("close_connection", pid, "maintenance window");

      assertThat(r.out()).isEqualTo("Closing connection " + pid + ", reason: maintenance window...\n");
      AMQP.Connection.Close close = awaitClose(closed);
      assertThat(close.getReplyCode()).isEqualTo(320);
      assertThat(close.getReplyText()).isEqualTo("CONNECTION_FORCED - maintenance window");
      eventually("the connection leaves the list", () -> rows("list_connections", "pid").stream()
          .noneMatch(row -> row.getFirst().equals(pid)));
    }

    @Test
    void closingByNameWorksToo() throws Exception {
      String name = unique("close-name");
      Connection c = open(broker.factory(), name);
      BlockingQueue<ShutdownSignalException> closed = closes(c);
      String connName = connectionRow(name, "name").getFirst();

      ok("close_connection", connName, "bye");

      assertThat(awaitClose(closed).getReplyText()).isEqualTo("CONNECTION_FORCED - bye");
    }

    @Test
    void anUnknownNameIsAnErrorAndAnUnknownPidIsNotAsInRabbitmq() throws Exception {
      String name = unique("close-unknown");
      Connection c = open(broker.factory(), name);
      Result byName = ctl("close_connection", "10.0.0.1:1 -> 10.0.0.1:5672", "x");
      assertThat(byName.code()).isEqualTo(1);
      assertThat(byName.err()).contains("no connection with pid or name '10.0.0.1:1 -> 10.0.0.1:5672'");
      // rabbit_networking:close_connection only logs a warning for a pid no connection has
      Result byPid = ctl("close_connection", "<warren@nowhere.1.999999.0>", "x");
      assertThat(byPid.code()).as(byPid.err()).isZero();
      assertThat(c.isOpen()).isTrue();
      assertThat(connectionRow(name, "state").getFirst()).isEqualTo("running");
    }

    @Test
    void theReasonIsRequired() throws Exception {
      Result r = ctl("close_connection", "<warren@h.1.2.0>");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("Error (argument validation): not enough arguments.")
          .contains("close_connection <connection pid> <explanation>");
    }
  }

  @Nested
  class CloseAllConnections {
    @Test
    void closesTheConnectionsOfTheVhostOnly() throws Exception {
      String vhost = unique("close-all-vh");
      ok("add_vhost", vhost);
      ok("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
      ConnectionFactory f = broker.factory();
      f.setVirtualHost(vhost);
      BlockingQueue<ShutdownSignalException> one = closes(open(f, unique("ca-1")));
      BlockingQueue<ShutdownSignalException> two = closes(open(f, unique("ca-2")));
      Connection elsewhere = open(broker.factory(), unique("ca-default"));

      Result r = ok("close_all_connections", "-p", vhost, "vhost going away");

      assertThat(r.out()).isEqualTo("Closing all connections in vhost " + vhost
          + ", reason: vhost going away...\nClosed 2 connections\n");
      assertThat(awaitClose(one).getReplyText()).isEqualTo("CONNECTION_FORCED - vhost going away");
      assertThat(awaitClose(two).getReplyText()).isEqualTo("CONNECTION_FORCED - vhost going away");
      assertThat(elsewhere.isOpen()).isTrue();
    }

    @Test
    void limitClosesThatManyTheOldestFirst() throws Exception {
      String vhost = unique("close-limit-vh");
      ok("add_vhost", vhost);
      ok("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
      ConnectionFactory f = broker.factory();
      f.setVirtualHost(vhost);
      BlockingQueue<ShutdownSignalException> oldest = closes(open(f, unique("cl-1")));
      Connection younger = open(f, unique("cl-2"));

      Result r = ok("close_all_connections", "-p", vhost, "--limit", "1", "one only");

      assertThat(r.out()).startsWith("Closing 1 connections in vhost " + vhost + ", reason: one only...")
          .endsWith("Closed 1 connections\n");
      assertThat(awaitClose(oldest).getReplyCode()).isEqualTo(320);
      assertThat(younger.isOpen()).isTrue();
    }

    @Test
    void globalClosesEveryConnection() throws Exception {
      String vhost = unique("close-global-vh");
      ok("add_vhost", vhost);
      ok("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
      ConnectionFactory f = broker.factory();
      f.setVirtualHost(vhost);
      BlockingQueue<ShutdownSignalException> inVhost = closes(open(f, unique("cg-1")));
      BlockingQueue<ShutdownSignalException> inDefault = closes(open(broker.factory(), unique("cg-2")));
      eventually("only these two are open (earlier tests' connections are gone)",
          () -> rows("list_connections", "pid").size() == 2);

      Result r = ok("close_all_connections", "--global", "node maintenance");

      assertThat(r.out()).startsWith("Closing all connections to node warren@").contains("(across all vhosts), reason: "
          + "node maintenance...\n").endsWith("Closed 2 connections\n");
      assertThat(awaitClose(inVhost).getReplyText()).isEqualTo("CONNECTION_FORCED - node maintenance");
      assertThat(awaitClose(inDefault).getReplyText()).isEqualTo("CONNECTION_FORCED - node maintenance");
    }
  }

  /** A listing through the in-process client (for polling: no JVM per look). */
  private static List<List<String>> rows(String... args) {
    return WarrenCtlIT.runCtl(withSocket(args)).rows();
  }

  private static List<String> withSocket(String... args) {
    List<String> argv = new ArrayList<>(List.of("--socket", broker.dataDir().resolve("warren.sock").toString()));
    argv.addAll(List.of(args));
    return argv;
  }
}
