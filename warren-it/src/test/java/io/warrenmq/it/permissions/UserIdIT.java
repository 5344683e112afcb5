package io.warrenmq.it.permissions;

import static io.warrenmq.it.support.Messaging.bytes;
import static io.warrenmq.it.support.Messaging.channelCloseOf;
import static io.warrenmq.it.support.Messaging.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.it.support.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The user-id property as RabbitMQ 3.13 validates it (rabbit_channel, check_user_id_header): it
 * must name the logged-in user, unless that user is tagged {@code impersonator}; the tags are
 * those of the login, so a change applies from the user's next connection.
 */
class UserIdIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  final List<Connection> connections = new ArrayList<>();
  Channel admin;
  String user;
  String queue;

  @BeforeEach
  void open() throws Exception {
    Connection c = broker.factory().newConnection();
    connections.add(c);
    admin = c.createChannel();
    queue = unique("uid-q");
    admin.queueDeclare(queue, false, false, false, null);
  }

  @AfterEach
  void close() {
    connections.forEach(Connection::abort);
  }

  /** A fresh user with every permission on "/" and {@code tags}. */
  void newUser(String... tags) {
    user = unique("uid-user");
    broker.server().broker().addUser(user, "pw", List.of(tags));
    broker.server().broker().setPermission(user, "/", new Permission(".*", ".*", ".*"));
  }

  Channel connect() throws Exception {
    ConnectionFactory f = broker.factory();
    f.setUsername(user);
    f.setPassword("pw");
    Connection c = f.newConnection();
    connections.add(c);
    return c.createChannel();
  }

  static AMQP.BasicProperties userId(String id) {
    return new AMQP.BasicProperties.Builder().userId(id).build();
  }

  /** Publishes with user-id {@code id} and waits for the broker's answer (the queue's depth). */
  void publishAs(Channel ch, String id) throws Exception {
    ch.basicPublish("", queue, userId(id), bytes("m"));
    ch.queueDeclarePassive(queue);
  }

  String refused(String claimed) {
    return "406 PRECONDITION_FAILED - user_id property set to '" + claimed + "' but authenticated user was '"
        + user + "'";
  }

  @Test
  void theUsersOwnNameIsAccepted() throws Exception {
    newUser();
    publishAs(connect(), user);
    assertThat(admin.basicGet(queue, true).getProps().getUserId()).isEqualTo(user);
  }

  @Test
  void anotherNameClosesTheChannelWith406() throws Exception {
    newUser();
    Channel ch = connect();
    assertThat(channelCloseOf(() -> publishAs(ch, "someone-else"))).isEqualTo(refused("someone-else"));
    assertThat(admin.basicGet(queue, true)).isNull();
  }

  @Test
  void aUserTaggedImpersonatorMayPublishWithAnyUserId() throws Exception {
    newUser("impersonator");
    publishAs(connect(), "someone-else");
    GetResponse r = admin.basicGet(queue, true);
    assertThat(r).isNotNull();
    assertThat(r.getProps().getUserId()).isEqualTo("someone-else");
  }

  @Test
  void otherTagsDoNotImpersonate() throws Exception {
    newUser("administrator", "monitoring", "Impersonator");
    Channel ch = connect();
    assertThat(channelCloseOf(() -> publishAs(ch, "someone-else"))).isEqualTo(refused("someone-else"));
  }

  @Test
  void theImpersonatorTagGrantedWhileConnectedAppliesFromTheNextConnection() throws Exception {
    newUser();
    Channel before = connect();
    broker.server().broker().setUserTags(user, List.of("impersonator"));
    assertThat(channelCloseOf(() -> publishAs(before, "someone-else"))).isEqualTo(refused("someone-else"));
    publishAs(connect(), "someone-else");
    assertThat(admin.basicGet(queue, true).getProps().getUserId()).isEqualTo("someone-else");
  }

  @Test
  void theImpersonatorTagRemovedWhileConnectedStillHoldsForThatConnection() throws Exception {
    newUser("impersonator");
    Channel before = connect();
    broker.server().broker().setUserTags(user, List.of());
    publishAs(before, "someone-else");
    assertThat(admin.basicGet(queue, true).getProps().getUserId()).isEqualTo("someone-else");
    Channel after = connect();
    assertThat(channelCloseOf(() -> publishAs(after, "someone-else"))).isEqualTo(refused("someone-else"));
  }

  @Test
  void anInvalidUserIdIsReportedBeforeAnInvalidExpiration() throws Exception {
    // rabbit_channel checks user-id first, then expiration
    newUser();
    Channel ch = connect();
    AMQP.BasicProperties both = new AMQP.BasicProperties.Builder().userId("someone-else").expiration("soon").build();
    assertThat(channelCloseOf(() -> {
      ch.basicPublish("", queue, both, bytes("m"));
      ch.queueDeclarePassive(queue);
    })).isEqualTo(refused("someone-else"));
  }
}
