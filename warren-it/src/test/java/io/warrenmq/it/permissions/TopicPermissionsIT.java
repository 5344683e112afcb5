package io.warrenmq.it.permissions;

import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.WarrenctlScript;
import io.warrenmq.it.support.WarrenctlScript.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topic permissions as RabbitMQ 3.13 enforces them (rabbit_channel check_topic_authorisation,
 * rabbit_auth_backend_internal check_topic_access), set through the real bin/warrenctl: on a
 * topic exchange a publish's routing key must match the user's write pattern and a binding key
 * (queue.bind, exchange.bind, and unbinding) the read pattern; an exchange without a topic
 * permission, or of another type, lets every key through; {username} and {vhost} are expanded.
 */
class TopicPermissionsIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

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

  /** A new user with every permission on "/"; returns its name. */
  static String newUser(String prefix) {
    String u = unique(prefix);
    broker.server().broker().addUser(u, "pw", List.of());
    broker.server().broker().setPermission(u, "/", io.warrenmq.broker.auth.Permission.ALL);
    return u;
  }

  Channel channelOf(String user) throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword("pw");
    Connection c = f.newConnection();
    opened.add(c);
    Channel ch = c.createChannel();
    ch.confirmSelect();
    return ch;
  }

  static void publish(Channel ch, String exchange, String key) throws Exception {
    ch.basicPublish(exchange, key, null, new byte[] {1});
    ch.waitForConfirmsOrDie(10_000);
  }

  static String refused(String access, String key, String exchange, String user) {
    return "403 ACCESS_REFUSED - " + access + " access to topic '" + key + "' in exchange '" + exchange
        + "' in vhost '/' refused for user '" + user + "'";
  }

  String topicExchange(String prefix) throws Exception {
    String x = unique(prefix);
    try (Connection c = broker.factory().newConnection(); Channel admin = c.createChannel()) {
      admin.exchangeDeclare(x, "topic", false, true, null);
      admin.queueDeclare(x + "-q", false, false, false, null);
      admin.queueBind(x + "-q", x, "#"); // keeps the auto-delete exchange alive
    }
    return x;
  }

  @Nested
  class Publishing {
    @Test
    void theRoutingKeyMustMatchTheWritePattern() throws Exception {
      String user = newUser("tp-pub");
      ok("set_topic_permissions", user, "amq.topic", "^allowed\\.", ".*");
      Channel ch = channelOf(user);
      publish(ch, "amq.topic", "allowed.key");
      assertThat(channelCloseOf(() -> publish(ch, "amq.topic", "denied.key")))
          .isEqualTo(refused("write", "denied.key", "amq.topic", user));
    }

    @Test
    void usernameAndVhostVariablesAreExpanded() throws Exception {
      String user = newUser("tp-var");
      ok("set_topic_permissions", user, "amq.topic", "^{username}\\.{vhost}", ".*");
      Channel ch = channelOf(user);
      publish(ch, "amq.topic", user + "./.x");
      assertThat(channelCloseOf(() -> publish(ch, "amq.topic", "someone-else./.x")))
          .isEqualTo(refused("write", "someone-else./.x", "amq.topic", user));
    }

    @Test
    void aBraceIsAQuantifierOnlyWhereErlangsRegexTakesItForOne() throws Exception {
      String user = newUser("tp-brace");
      ok("set_topic_permissions", user, "amq.topic", "^a{2}\\.{x}$", ".*");
      Channel ch = channelOf(user);
      publish(ch, "amq.topic", "aa.{x}");
      assertThat(channelCloseOf(() -> publish(ch, "amq.topic", "aaa.{x}")))
          .isEqualTo(refused("write", "aaa.{x}", "amq.topic", user));
    }

    @Test
    void anEmptyPatternLetsOnlyTheEmptyKeyThrough() throws Exception {
      String user = newUser("tp-empty");
      ok("set_topic_permissions", user, "amq.topic", "", "");
      Channel ch = channelOf(user);
      publish(ch, "amq.topic", "");
      assertThat(channelCloseOf(() -> publish(ch, "amq.topic", "a")))
          .isEqualTo(refused("write", "a", "amq.topic", user));
    }

    @Test
    void anExchangeWithoutATopicPermissionOrOfAnotherTypeIsNotChecked() throws Exception {
      String user = newUser("tp-other");
      String other = topicExchange("tp-other-x");
      ok("set_topic_permissions", user, "amq.topic", "^none$", "^none$");
      ok("set_topic_permissions", user, "amq.direct", "^none$", "^none$");
      Channel ch = channelOf(user);
      publish(ch, other, "anything.at.all");
      publish(ch, "amq.direct", "anything");
      assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aChangedPermissionAppliesToTheNextPublishOnAnOpenChannel() throws Exception {
      String user = newUser("tp-change");
      Channel ch = channelOf(user);
      publish(ch, "amq.topic", "k.1");
      ok("set_topic_permissions", user, "amq.topic", "^k\\.1$", ".*");
      publish(ch, "amq.topic", "k.1");
      assertThat(channelCloseOf(() -> publish(ch, "amq.topic", "k.2")))
          .isEqualTo(refused("write", "k.2", "amq.topic", user));
      Channel again = channelOf(user);
      ok("clear_topic_permissions", user, "amq.topic");
      publish(again, "amq.topic", "k.2");
    }
  }

  @Nested
  class Binding {
    @Test
    void queueBindAndUnbindCheckTheBindingKeyAgainstTheReadPattern() throws Exception {
      String user = newUser("tp-bind");
      String x = topicExchange("tp-bind-x");
      ok("set_topic_permissions", user, x, ".*", "^orders\\.");
      Channel ch = channelOf(user);
      String q = ch.queueDeclare().getQueue();
      ch.queueBind(q, x, "orders.#");
      ch.queueUnbind(q, x, "orders.#");
      assertThat(channelCloseOf(() -> ch.queueBind(q, x, "invoices.#")))
          .isEqualTo(refused("read", "invoices.#", x, user));
      Channel other = channelOf(user);
      assertThat(channelCloseOf(() -> other.queueUnbind(q, x, "invoices.#")))
          .isEqualTo(refused("read", "invoices.#", x, user));
    }

    @Test
    void exchangeBindChecksTheSourceExchangesReadPattern() throws Exception {
      String user = newUser("tp-xbind");
      String source = topicExchange("tp-xbind-src");
      ok("set_topic_permissions", user, source, ".*", "^ok$");
      Channel ch = channelOf(user);
      String dest = unique("tp-xbind-dst");
      ch.exchangeDeclare(dest, "fanout", false, true, null);
      ch.exchangeBind(dest, source, "ok");
      assertThat(channelCloseOf(() -> ch.exchangeBind(dest, source, "not.ok")))
          .isEqualTo(refused("read", "not.ok", source, user));
    }
  }

  @Nested
  class Listing {
    @Test
    void listTopicPermissionsShowsTheVhostsAndListUserTopicPermissionsTheUsers() throws Exception {
      String user = newUser("tp-list");
      String vhost = unique("tp-list-vh");
      ok("add_vhost", vhost);
      Result set = ok("set_topic_permissions", "-p", vhost, user, "amq.topic", "^w", "^r");
      assertThat(set.out()).isEqualTo("Setting topic permissions on \"amq.topic\" for user \"" + user
          + "\" in vhost \"" + vhost + "\" ...\n");
      ok("set_topic_permissions", user, "amq.topic", "^a", "^b");

      Result list = ok("list_topic_permissions", "-p", vhost);
      assertThat(list.out()).isEqualTo("Listing topic permissions for vhost \"" + vhost + "\" ...\n"
          + "user\texchange\twrite\tread\n" + user + "\tamq.topic\t^w\t^r\n");
      // rabbitmqctl prints this one without a header row (table_headers false by default)
      Result mine = ok("list_user_topic_permissions", user);
      assertThat(mine.out()).isEqualTo("Listing topic permissions for user \"" + user + "\" ...\n"
          + "/\tamq.topic\t^a\t^b\n" + vhost + "\tamq.topic\t^w\t^r\n");

      Result cleared = ok("clear_topic_permissions", "-p", vhost, user);
      assertThat(cleared.out()).isEqualTo("Clearing topic permissions for user \"" + user + "\" in vhost \""
          + vhost + "\" ...\n");
      assertThat(ok("-q", "list_user_topic_permissions", user).out()).isEqualTo("/\tamq.topic\t^a\t^b\n");
    }

    @Test
    void errorsAreReported() throws Exception {
      String user = newUser("tp-err");
      Result noUser = ctl("set_topic_permissions", "tp-nobody", "amq.topic", ".*", ".*");
      assertThat(noUser.code()).isEqualTo(1);
      assertThat(noUser.err()).contains("tp-nobody");
      assertThat(ctl("set_topic_permissions", "-p", "tp-no-vhost", user, "amq.topic", ".*", ".*").code()).isEqualTo(1);
      Result badRegex = ctl("set_topic_permissions", user, "amq.topic", "(", ".*");
      assertThat(badRegex.code()).isEqualTo(1);
      assertThat(badRegex.err()).contains("invalid topic permission regex '('");
      Result missing = ctl("set_topic_permissions", user, "amq.topic", ".*");
      assertThat(missing.code()).isEqualTo(2);
      assertThat(missing.err()).contains("not enough arguments.");
      assertThat(ok("list_user_topic_permissions", user).out().lines().count()).as("nothing was set").isOne();
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void topicPermissionsSurviveARestartAndAreStillEnforced() throws Exception {
      String user = newUser("tp-restart");
      String other = newUser("tp-restart-other");
      String vhost = unique("tp-restart-vh");
      ok("add_vhost", vhost);
      ok("set_topic_permissions", user, "amq.topic", "^kept\\.", ".*");
      ok("set_topic_permissions", "-p", vhost, user, "amq.topic", "^in-vhost", ".*");
      ok("set_topic_permissions", other, "amq.topic", ".*", ".*");
      ok("clear_topic_permissions", "-p", vhost, user, "amq.topic");

      broker.restart();

      assertThat(ok("-q", "list_user_topic_permissions", user).out()).isEqualTo("/\tamq.topic\t^kept\\.\t.*\n");
      assertThat(ok("-q", "list_user_topic_permissions", other).out()).isEqualTo("/\tamq.topic\t.*\t.*\n");
      Channel ch = channelOf(user);
      publish(ch, "amq.topic", "kept.1");
      assertThat(channelCloseOf(() -> publish(ch, "amq.topic", "other")))
          .isEqualTo(refused("write", "other", "amq.topic", user));
    }

    @Test
    void deletingTheUserOrTheVhostClearsThem() throws Exception {
      String user = newUser("tp-del");
      String vhost = unique("tp-del-vh");
      ok("add_vhost", vhost);
      ok("set_topic_permissions", user, "amq.topic", "^a", "^a");
      ok("set_topic_permissions", "-p", vhost, user, "amq.topic", "^b", "^b");

      ok("delete_vhost", vhost);
      assertThat(ok("-q", "list_user_topic_permissions", user).out()).isEqualTo("/\tamq.topic\t^a\t^a\n");
      ok("delete_user", user);
      ok("add_user", user, "pw");
      assertThat(ok("-q", "list_user_topic_permissions", user).out()).isEmpty();

      broker.restart();
      ok("add_vhost", vhost);
      assertThat(ok("-q", "list_user_topic_permissions", user).out()).as("not back from the log").isEmpty();
      assertThat(ok("-q", "list_topic_permissions", "-p", vhost).out()).isEqualTo("user\texchange\twrite\tread\n");
    }
  }
}
