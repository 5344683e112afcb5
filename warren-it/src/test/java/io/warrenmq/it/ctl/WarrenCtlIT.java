package io.warrenmq.it.ctl;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.server.ctl.WarrenCtl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** warrenctl against a running broker's control socket, with rabbitmqctl's commands, output and exit codes. */
class WarrenCtlIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  /** One warrenctl run: exit code, standard output, standard error. */
  record Ctl(int code, String out, String err) {
    /** The data rows of a table (header row and informational lines dropped), split at tabs. */
    List<List<String>> rows() {
      List<String> lines = out.lines().toList();
      int header = 0;
      while (header < lines.size() && lines.get(header).startsWith("Listing")) {
        header++;
      }
      List<List<String>> out = new ArrayList<>();
      for (String l : lines.subList(Math.min(header + 1, lines.size()), lines.size())) {
        out.add(Arrays.asList(l.split("\t", -1)));
      }
      return out;
    }

    List<String> column(int i) {
      return rows().stream().map(r -> r.get(i)).toList();
    }
  }

  static Ctl ctl(String... args) {
    List<String> argv = new ArrayList<>(List.of("--socket", broker.dataDir().resolve("warren.sock").toString()));
    argv.addAll(List.of(args));
    return runCtl(argv);
  }

  static Ctl runCtl(List<String> argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = WarrenCtl.run(argv.toArray(String[]::new), o, e);
    }
    return new Ctl(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Ctl ok(String... args) {
    Ctl r = ctl(args);
    assertThat(r.code()).as("warrenctl %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  static ConnectionFactory as(String user, String pass, String vhost) {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword(pass);
    f.setVirtualHost(vhost);
    return f;
  }

  static int channelCloseCode(Throwable t) {
    Throwable c = t;
    while (c != null && !(c instanceof ShutdownSignalException)) {
      c = c.getCause();
    }
    assertThat(c).as("a channel close in " + t).isNotNull();
    return ((AMQP.Channel.Close) ((ShutdownSignalException) c).getReason()).getReplyCode();
  }

  @Nested
  class Vhosts {
    @Test
    void addListAndDeleteVhosts() {
      assertThat(ok("add_vhost", "ctl-vh").out()).contains("Adding vhost \"ctl-vh\"");
      assertThat(ok("list_vhosts").column(0)).contains("/", "ctl-vh");
      ok("delete_vhost", "ctl-vh");
      assertThat(ok("list_vhosts").column(0)).contains("/").doesNotContain("ctl-vh");
    }

    @Test
    void addingAnExistingVhostOrDeletingAMissingOneIsAnError() {
      ok("add_vhost", "ctl-dup");
      Ctl dup = ctl("add_vhost", "ctl-dup");
      assertThat(dup.code()).isEqualTo(1);
      assertThat(dup.err()).contains("Error:").contains("already exists");
      Ctl missing = ctl("delete_vhost", "ctl-never");
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.err()).contains("ctl-never");
    }

    @Test
    void deletingAVhostClosesItsConnectionsAndRemovesItsQueues() throws Exception {
      ok("add_vhost", "ctl-doomed");
      ok("set_permissions", "-p", "ctl-doomed", "guest", ".*", ".*", ".*");
      Connection c = as("guest", "guest", "ctl-doomed").newConnection();
      BlockingQueue<ShutdownSignalException> closed = new ArrayBlockingQueue<>(1);
      c.addShutdownListener(closed::add);
      c.createChannel().queueDeclare("doomed-q", true, false, false, null);

      ok("delete_vhost", "ctl-doomed");

      ShutdownSignalException s = closed.poll(10, TimeUnit.SECONDS);
      assertThat(s).isNotNull();
      assertThat(((AMQP.Connection.Close) s.getReason()).getReplyCode()).isEqualTo(320);
      ok("add_vhost", "ctl-doomed");
      assertThat(ok("list_queues", "-p", "ctl-doomed").rows()).isEmpty();
      assertThat(ok("list_permissions", "-p", "ctl-doomed").rows()).as("permissions went with the vhost").isEmpty();
    }
  }

  @Nested
  class Users {
    @Test
    void aUserAddedWithWarrenctlLogsInOverAmqpOnceGrantedPermissions() throws Exception {
      ok("add_user", "ctl-alice", "s3cret");
      assertThatThrownBy(() -> as("ctl-alice", "s3cret", "/").newConnection().close())
          .as("no permission on / yet").isInstanceOf(Exception.class);
      ok("set_permissions", "-p", "/", "ctl-alice", "^alice-.*", ".*", ".*");
      try (Connection c = as("ctl-alice", "s3cret", "/").newConnection()) {
        Channel ch = c.createChannel();
        ch.queueDeclare("alice-q", false, false, true, null);
        assertThatThrownBy(() -> ch.queueDeclare("bob-q", false, false, true, null))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(403));
      }
      assertThatThrownBy(() -> as("ctl-alice", "wrong", "/").newConnection().close()).isInstanceOf(Exception.class);
    }

    @Test
    void aDeletedUserCannotLogInAndItsOpenConnectionsAreClosed() throws Exception {
      ok("add_user", "ctl-bob", "pw");
      ok("set_permissions", "ctl-bob", ".*", ".*", ".*");
      Connection c = as("ctl-bob", "pw", "/").newConnection();
      BlockingQueue<ShutdownSignalException> closed = new ArrayBlockingQueue<>(1);
      c.addShutdownListener(closed::add);

      assertThat(ok("delete_user", "ctl-bob").out()).contains("Deleting user \"ctl-bob\"");

      ShutdownSignalException s = closed.poll(10, TimeUnit.SECONDS);
      assertThat(s).as("the deleted user's connection is closed").isNotNull();
      AMQP.Connection.Close close = (AMQP.Connection.Close) s.getReason();
      assertThat(close.getReplyCode()).isEqualTo(320);
      assertThat(close.getReplyText()).startsWith("CONNECTION_FORCED").contains("ctl-bob");
      assertThatThrownBy(() -> as("ctl-bob", "pw", "/").newConnection().close()).isInstanceOf(Exception.class);
      assertThat(ok("list_users").column(0)).doesNotContain("ctl-bob");
      assertThat(ok("list_permissions").column(0)).doesNotContain("ctl-bob");
      assertThat(ctl("delete_user", "ctl-bob").code()).isEqualTo(1);
    }

    @Test
    void listUsersShowsTagsAndSetUserTagsReplacesThem() {
      ok("add_user", "ctl-carol", "pw");
      assertThat(ok("list_users").rows()).contains(List.of("ctl-carol", "[]"), List.of("guest", "[administrator]"));
      ok("set_user_tags", "ctl-carol", "monitoring", "policymaker");
      assertThat(ok("list_users").rows()).contains(List.of("ctl-carol", "[monitoring, policymaker]"));
      ok("set_user_tags", "ctl-carol");
      assertThat(ok("list_users").rows()).contains(List.of("ctl-carol", "[]"));
      assertThat(ctl("set_user_tags", "ctl-nobody", "x").code()).isEqualTo(1);
    }

    @Test
    void authenticateUserAndChangePassword() throws Exception {
      ok("add_user", "ctl-dave", "old");
      ok("set_permissions", "ctl-dave", ".*", ".*", ".*");
      assertThat(ok("authenticate_user", "ctl-dave", "old").out()).contains("Success");
      Ctl bad = ctl("authenticate_user", "ctl-dave", "nope");
      assertThat(bad.code()).isEqualTo(1);
      assertThat(bad.err()).contains("ctl-dave");

      ok("change_password", "ctl-dave", "new");

      assertThat(ctl("authenticate_user", "ctl-dave", "old").code()).isEqualTo(1);
      ok("authenticate_user", "ctl-dave", "new");
      as("ctl-dave", "new", "/").newConnection().close();
      assertThatThrownBy(() -> as("ctl-dave", "old", "/").newConnection().close()).isInstanceOf(Exception.class);
      assertThat(ctl("change_password", "ctl-nobody", "x").code()).isEqualTo(1);
    }

    @Test
    void addingAnExistingUserIsAnError() {
      ok("add_user", "ctl-erin", "pw");
      Ctl r = ctl("add_user", "ctl-erin", "other");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("already exists");
      ok("authenticate_user", "ctl-erin", "pw");
    }
  }

  @Nested
  class Permissions {
    @Test
    void setListAndClearPermissionsPerVhost() {
      ok("add_vhost", "ctl-perm");
      ok("add_user", "ctl-frank", "pw");
      ok("set_permissions", "-p", "ctl-perm", "ctl-frank", "^c", "^w", "^r");
      assertThat(ok("list_permissions", "-p", "ctl-perm").rows()).contains(List.of("ctl-frank", "^c", "^w", "^r"));
      assertThat(ok("list_permissions").column(0)).as("the default vhost is /").doesNotContain("ctl-frank");
      assertThat(ok("list_user_permissions", "ctl-frank").rows()).containsExactly(List.of("ctl-perm", "^c", "^w", "^r"));

      ok("clear_permissions", "-p", "ctl-perm", "ctl-frank");

      assertThat(ok("list_permissions", "-p", "ctl-perm").column(0)).doesNotContain("ctl-frank");
      assertThat(ok("list_user_permissions", "ctl-frank").rows()).isEmpty();
    }

    @Test
    void permissionsForAMissingUserOrVhostAreErrors() {
      ok("add_user", "ctl-gina", "pw");
      assertThat(ctl("set_permissions", "-p", "ctl-no-vhost", "ctl-gina", ".*", ".*", ".*").code()).isEqualTo(1);
      assertThat(ctl("set_permissions", "ctl-no-user", ".*", ".*", ".*").code()).isEqualTo(1);
      assertThat(ctl("set_permissions", "ctl-gina", ".*", ".*").code()).as("missing read regex").isEqualTo(2);
    }
  }

  @Nested
  class Listings {
    @Test
    void listQueuesShowsTheRequestedColumns() throws Exception {
      try (Connection c = broker.factory().newConnection()) {
        Channel ch = c.createChannel();
        ch.queueDeclare("ctl-lq", true, false, false, Map.of("x-max-length", 100));
        ch.confirmSelect();
        for (int i = 0; i < 4; i++) {
          ch.basicPublish("", "ctl-lq", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirms(10_000);
        GetResponse unacked = ch.basicGet("ctl-lq", false);
        assertThat(unacked).isNotNull();
        Channel consumerCh = c.createChannel();
        consumerCh.basicQos(0);
        String tag = consumerCh.basicConsume("ctl-lq", false, "ctl-tag", (t, d) -> { }, t -> { });
        // the consumer took the three ready ones (no ack): 4 messages, 0 ready, 4 unacked
        eventually("delivered to the consumer", () -> ok("list_queues", "name", "messages_ready").rows()
            .contains(List.of("ctl-lq", "0")));

        Ctl r = ok("list_queues", "name", "messages", "messages_ready", "messages_unacknowledged", "consumers",
            "durable", "auto_delete", "exclusive");
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("Listing queues for vhost /");
        assertThat(r.out().lines().skip(1).findFirst().orElseThrow())
            .isEqualTo("name\tmessages\tmessages_ready\tmessages_unacknowledged\tconsumers\tdurable\tauto_delete\texclusive");
        assertThat(r.rows()).contains(List.of("ctl-lq", "4", "0", "4", "1", "true", "false", "false"));
        assertThat(ok("list_queues").rows()).as("default columns: name, messages").contains(List.of("ctl-lq", "4"));

        // rabbitmqctl's default columns: queue_name channel_pid consumer_tag ack_required prefetch_count active arguments
        Ctl consumers = ok("list_consumers");
        assertThat(consumers.rows()).anySatisfy(row -> {
          assertThat(row.get(0)).isEqualTo("ctl-lq");
          assertThat(row.get(1)).startsWith("<warren@");
          assertThat(row.subList(2, 7)).isEqualTo(List.of(tag, "true", "0", "true", "[]"));
        });
      }
      assertThat(ok("list_queues", "name", "messages").rows()).as("unacked went back on close")
          .contains(List.of("ctl-lq", "4"));
    }

    @Test
    void quietDropsTheInformationalLine() {
      Ctl r = ok("-q", "list_vhosts");
      assertThat(r.out()).doesNotContain("Listing");
      assertThat(r.out().lines().findFirst().orElseThrow()).isEqualTo("name");
    }

    @Test
    void anUnknownColumnIsAUsageErrorAndAMissingVhostAnError() {
      Ctl col = ctl("list_queues", "name", "colour");
      assertThat(col.code()).isEqualTo(2);
      assertThat(col.err()).contains("unknown column 'colour'");
      Ctl vh = ctl("list_queues", "-p", "ctl-no-such-vhost");
      assertThat(vh.code()).isEqualTo(1);
      assertThat(vh.err()).contains("ctl-no-such-vhost");
    }

    @Test
    void listExchangesAndBindingsShowTheTopology() throws Exception {
      try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare("ctl-x", "topic", true);
        ch.exchangeDeclare("ctl-x2", "fanout", false);
        ch.queueDeclare("ctl-bq", true, false, false, null);
        ch.queueBind("ctl-bq", "ctl-x", "a.#");
        ch.exchangeBind("ctl-x2", "ctl-x", "b.*");
      }
      assertThat(ok("list_exchanges").rows()).contains(List.of("ctl-x", "topic"), List.of("ctl-x2", "fanout"),
          List.of("amq.direct", "direct"), List.of("", "direct"));
      assertThat(ok("list_exchanges", "name", "durable").rows()).contains(List.of("ctl-x", "true"), List.of("ctl-x2", "false"));
      assertThat(ok("list_bindings", "source_name", "destination_name", "destination_kind", "routing_key").rows())
          .contains(List.of("ctl-x", "ctl-bq", "queue", "a.#"), List.of("ctl-x", "ctl-x2", "exchange", "b.*"),
              List.of("", "ctl-bq", "queue", "ctl-bq"));
    }

    @Test
    void listConnectionsShowsRabbitmqctlsDefaultColumnsOrTheItemsAsked() throws Exception {
      try (Connection c = broker.factory().newConnection("ctl-conn-name")) {
        c.createChannel();
        c.createChannel();
        String port = Integer.toString(((com.rabbitmq.client.impl.NetworkConnection) c).getLocalPort());
        Ctl defaults = ok("list_connections");
        assertThat(defaults.out().lines().skip(1).findFirst().orElseThrow()).isEqualTo("user\tpeer_host\tpeer_port\tstate");
        assertThat(defaults.rows()).contains(List.of("guest", "127.0.0.1", port, "running"));
        Ctl r = ok("list_connections", "name", "user", "vhost", "channels", "client_properties");
        assertThat(r.rows()).anySatisfy(row -> {
          assertThat(row.get(0)).isEqualTo("127.0.0.1:" + port + " -> 127.0.0.1:" + broker.port());
          assertThat(row.subList(1, 4)).isEqualTo(List.of("guest", "/", "2"));
          assertThat(row.get(4)).contains("{\"connection_name\",\"ctl-conn-name\"}");
        });
      }
      eventually("the closed connection leaves the list",
          () -> ok("list_connections", "client_properties").rows().stream()
              .noneMatch(row -> row.getFirst().contains("ctl-conn-name")));
    }
  }

  @Nested
  class Queues {
    @Test
    void purgeQueueRemovesReadyMessagesAndSaysHowMany() throws Exception {
      try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
        ch.queueDeclare("ctl-purge", true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < 5; i++) {
          ch.basicPublish("", "ctl-purge", null, new byte[] {1});
        }
        ch.waitForConfirms(10_000);
        Ctl r = ok("purge_queue", "ctl-purge");
        assertThat(r.out()).contains("Purging queue 'ctl-purge'");
        assertThat(r.out().lines().toList()).contains("5");
        assertThat(ch.basicGet("ctl-purge", true)).isNull();
      }
      assertThat(ctl("purge_queue", "ctl-no-queue").code()).isEqualTo(1);
    }

    @Test
    void deleteQueueRemovesItAndItsBindings() throws Exception {
      try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
        ch.queueDeclare("ctl-del", true, false, false, null);
        ch.queueBind("ctl-del", "amq.direct", "k");
        ch.basicPublish("", "ctl-del", null, new byte[] {1});
        ch.basicPublish("", "ctl-del", null, new byte[] {2});
        ch.queueDeclarePassive("ctl-del");
      }
      assertThat(ok("delete_queue", "ctl-del").out()).contains("with 2 ready messages");
      assertThat(ok("list_queues").column(0)).doesNotContain("ctl-del");
      assertThat(ok("list_bindings", "destination_name").column(0)).doesNotContain("ctl-del");
      try (Connection c = broker.factory().newConnection()) {
        Channel ch = c.createChannel();
        assertThatThrownBy(() -> ch.queueDeclarePassive("ctl-del"))
            .satisfies(e -> assertThat(channelCloseCode(e)).isEqualTo(404));
      }
    }
  }

  @Nested
  class ExitCodes {
    @Test
    void anUnknownCommandIsAUsageError() {
      Ctl r = ctl("frobnicate");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("unknown command 'frobnicate'").contains("Usage:");
    }

    @Test
    void noCommandPrintsUsageWithCodeTwo() {
      Ctl r = ctl();
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.out() + r.err()).contains("Usage: warrenctl");
    }

    @Test
    void missingArgumentsAreUsageErrors() {
      assertThat(ctl("add_user", "only-name").code()).isEqualTo(2);
      assertThat(ctl("delete_queue").code()).isEqualTo(2);
      assertThat(ctl("add_vhost").code()).isEqualTo(2);
    }

    @Test
    void noBrokerAtTheSocketIsCodeSixtyNine() {
      Ctl r = runCtl(List.of("--socket", broker.dataDir().resolve("nobody-here.sock").toString(), "list_queues"));
      assertThat(r.code()).isEqualTo(69);
      assertThat(r.err()).contains("unable to reach the broker");
      Ctl viaDataDir = runCtl(List.of("--data-dir", broker.dataDir().resolve("no-such-dir").toString(), "status"));
      assertThat(viaDataDir.code()).isEqualTo(69);
    }

    @Test
    void statusShowsWarrenMqsVersionAndTheRabbitMqReleaseItFollows() {
      Ctl r = ok("status");
      assertThat(r.out()).contains("WarrenMQ " + io.warrenmq.server.Version.get() + "\n")
          .contains("RabbitMQ compatibility: 3.13.7\n")
          .contains("amqp: 127.0.0.1:" + broker.port() + " (");
    }

    @Test
    void theDataDirectoryFlagFindsTheSocket() {
      Ctl r = runCtl(List.of("--data-dir", broker.dataDir().toString(), "status"));
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("WarrenMQ").contains("amqp: 127.0.0.1:" + broker.port());
    }
  }
}
