package io.warrenmq.it.cluster;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.ClusterProcesses;
import io.warrenmq.it.support.ManagementHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quorum queues: one Raft group per queue over three real broker processes. Publishes through any
 * node are confirmed once committed on a majority, consumers on any node get the leader's
 * deliveries, and a confirmed message survives the kill -9 of its leader.
 */
class ClusterQuorumIT {
  @TempDir static Path dir;
  static ClusterProcesses cluster;

  @BeforeAll
  static void form() throws Exception {
    cluster = new ClusterProcesses(dir, 3, List.of("--cluster-metadata-timeout", "5000")).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A test that failed with a node down leaves the others a whole cluster. */
  @AfterEach
  void revive() throws Exception {
    for (int i = 1; i <= 3; i++) {
      if (!cluster.node(i).isAlive()) {
        cluster.node(i).start();
        cluster.awaitOnline(i, 3);
      }
    }
  }

  private static Connection connect(int node) throws Exception {
    return cluster.factory(node).newConnection();
  }

  private static Map<String, Object> quorum() {
    Map<String, Object> a = new HashMap<>();
    a.put("x-queue-type", "quorum");
    return a;
  }

  private static String body(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  private static AMQP.Channel.Close declareError(int node, String name, boolean durable, boolean exclusive,
      boolean autoDelete, Map<String, Object> args) throws Exception {
    try (Connection c = connect(node)) {
      Channel ch = c.createChannel();
      try {
        ch.queueDeclare(name, durable, exclusive, autoDelete, args);
      } catch (IOException e) {
        return (AMQP.Channel.Close) ((ShutdownSignalException) e.getCause()).getReason();
      }
    }
    throw new AssertionError("declared");
  }

  private static void publish(int node, String queue, int from, int to) throws Exception {
    try (Connection c = connect(node); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = from; i < to; i++) {
        ch.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, ("m-" + i).getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(20_000);
    }
  }

  private static long count(int node, String queue) {
    try (Connection c = connect(node); Channel ch = c.createChannel()) {
      return ch.messageCount(queue);
    } catch (Exception e) {
      System.err.println("count through node " + node + ": " + e);
      return -1;
    }
  }

  private static int leaderIndex(String queue) {
    for (int i = 1; i <= 3; i++) {
      if (!cluster.node(i).isAlive()) {
        continue;
      }
      String out;
      try {
        out = cluster.ctl(i, "queue_leader", queue).out().trim();
      } catch (IOException e) {
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      for (int n = 1; n <= 3; n++) {
        if (out.equals("n" + n)) {
          return n;
        }
      }
    }
    return -1;
  }

  /** How many body segments with messages {@code node}'s member of {@code queue} has (quorum_status). */
  private static int segments(int node, String queue) {
    try {
      for (String line : cluster.ctl(node, "quorum_status", queue).out().split("\n")) {
        if (line.startsWith("segments\t")) {
          String v = line.substring("segments\t".length()).trim();
          return v.equals("{}") ? 0 : v.split(",").length;
        }
      }
      return -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  /** Every node's quorum_status of {@code queue}, for failure messages. */
  private static String status(String queue) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      try {
        var r = cluster.ctl(i, "quorum_status", queue);
        sb.append("node ").append(i).append(":\n").append(r.out()).append(r.err()).append('\n');
      } catch (IOException | InterruptedException e) {
        sb.append("node ").append(i).append(": ").append(e).append('\n');
      }
    }
    return sb.toString();
  }

  /** RabbitMQ 4.3's declare rules: 406 for what a quorum queue cannot be. */
  @Test
  void aQuorumQueueRefusesWhatItCannotBe() throws Exception {
    assertThat(declareError(1, "qq.excl", true, true, false, quorum()).getReplyText())
        .contains("invalid property 'exclusive-owner'");
    assertThat(declareError(1, "qq.ad", true, false, true, quorum()).getReplyText())
        .contains("invalid property 'auto-delete'");
    assertThat(declareError(1, "qq.transient", false, false, false, quorum()).getReplyText())
        .contains("invalid property 'non-durable'");
    Map<String, Object> prio = quorum();
    prio.put("x-max-priority", 5);
    AMQP.Channel.Close e = declareError(1, "qq.prio", true, false, false, prio);
    assertThat(e.getReplyCode()).isEqualTo(406);
    assertThat(e.getReplyText()).contains("invalid arg 'x-max-priority'").contains("rabbit_quorum_queue");
    Map<String, Object> zero = quorum();
    zero.put("x-quorum-initial-group-size", 0);
    assertThat(declareError(1, "qq.zero", true, false, false, zero).getReplyText()).contains("value_zero");
    Map<String, Object> bytes = quorum();
    bytes.put("x-max-length-bytes", 1_000_000);
    AMQP.Channel.Close notYet = declareError(2, "qq.bytes", true, false, false, bytes);
    assertThat(notYet.getReplyCode()).isEqualTo(406);
    assertThat(notYet.getReplyText()).contains("invalid arg 'x-max-length-bytes'").contains("not support it yet");
    Map<String, Object> badTtl = quorum();
    badTtl.put("x-message-ttl", -1);
    AMQP.Channel.Close negative = declareError(3, "qq.badttl", true, false, false, badTtl);
    assertThat(negative.getReplyCode()).isEqualTo(406);
    assertThat(negative.getReplyText()).contains("invalid arg 'x-message-ttl'");
    Map<String, Object> dlx = quorum();
    dlx.put("x-overflow", "reject-publish-dlx");
    assertThat(declareError(1, "qq.dlx", true, false, false, dlx).getReplyText()).contains("invalid arg 'x-overflow'");
  }

  /**
   * x-max-length: with drop-head the oldest go, on every member alike; with reject-publish what is
   * over the limit is nacked and the queue keeps the first ones.
   */
  @Test
  void aLengthLimitDropsTheHeadOrRejectsThePublish() throws Exception {
    Map<String, Object> drop = quorum();
    drop.put("x-max-length", 3);
    Map<String, Object> reject = quorum();
    reject.put("x-max-length", 3);
    reject.put("x-overflow", "reject-publish");
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.drop", true, false, false, drop);
      ch.queueDeclare("qq.reject", true, false, false, reject);
    }
    publish(2, "qq.drop", 0, 5);
    eventually(Duration.ofSeconds(20), "3 on every member", () ->
        count(1, "qq.drop") == 3 && count(2, "qq.drop") == 3 && count(3, "qq.drop") == 3);
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      for (int i = 2; i < 5; i++) {
        assertThat(body(ch.basicGet("qq.drop", true))).isEqualTo("m-" + i);
      }
      assertThat(ch.basicGet("qq.drop", true)).isNull();
    }
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      java.util.concurrent.ConcurrentSkipListSet<Long> acked = new java.util.concurrent.ConcurrentSkipListSet<>();
      java.util.concurrent.ConcurrentSkipListSet<Long> nacked = new java.util.concurrent.ConcurrentSkipListSet<>();
      // one confirm outstanding at a time: a confirm, multiple or not, is for the last publish
      ch.addConfirmListener((tag, multiple) -> acked.add(tag), (tag, multiple) -> nacked.add(tag));
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "qq.reject", MessageProperties.PERSISTENT_TEXT_PLAIN,
            ("m-" + i).getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirms(20_000); // one at a time: the limit is met in publish order
      }
      assertThat(acked).containsExactly(1L, 2L, 3L);
      assertThat(nacked).containsExactly(4L, 5L);
    }
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      for (int i = 0; i < 3; i++) {
        assertThat(body(ch.basicGet("qq.reject", true))).isEqualTo("m-" + i);
      }
      assertThat(ch.basicGet("qq.reject", true)).isNull();
    }
  }

  /**
   * x-message-ttl and per-message expiration: expired messages leave the head of the queue with no
   * consumer around (every member's count drops), are never handed to a consumer that comes later,
   * and the ones that have not expired stay, in order.
   */
  @Test
  void expiredMessagesLeaveTheHeadOfTheQueue() throws Exception {
    Map<String, Object> ttl = quorum();
    ttl.put("x-message-ttl", 3000);
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.ttl", true, false, false, ttl);
      ch.queueDeclare("qq.expiration", true, false, false, quorum());
    }
    publish(2, "qq.ttl", 0, 4);
    assertThat(count(3, "qq.ttl")).isEqualTo(4);
    eventually(Duration.ofSeconds(20), "the TTL's messages gone on every member", () ->
        count(1, "qq.ttl") == 0 && count(2, "qq.ttl") == 0 && count(3, "qq.ttl") == 0);
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      AMQP.BasicProperties shortLived = MessageProperties.PERSISTENT_TEXT_PLAIN.builder().expiration("300").build();
      ch.basicPublish("", "qq.expiration", shortLived, "gone-1".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", "qq.expiration", MessageProperties.PERSISTENT_TEXT_PLAIN, "kept-1".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", "qq.expiration", shortLived, "gone-2".getBytes(StandardCharsets.UTF_8));
      ch.basicPublish("", "qq.expiration", MessageProperties.PERSISTENT_TEXT_PLAIN, "kept-2".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(20_000);
    }
    Thread.sleep(600); // past the short-lived ones' expiration: the first is at the head, the other behind a kept one
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      ch.basicConsume("qq.expiration", true, (tag, d) -> got.add(new String(d.getBody(), StandardCharsets.UTF_8)),
          tag -> {});
      assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("kept-1");
      assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("kept-2");
      assertThat(got.poll(1, TimeUnit.SECONDS)).isNull();
    }
    eventually(Duration.ofSeconds(20), "nothing left on any member", () ->
        count(1, "qq.expiration") == 0 && count(2, "qq.expiration") == 0 && count(3, "qq.expiration") == 0);
  }

  /**
   * x-dead-letter-exchange, at most once: expired, rejected and over-the-delivery-limit messages go
   * to the dead-letter exchange with RabbitMQ's x-death reasons, and leave the source queue on
   * every member.
   */
  @Test
  void droppedMessagesAreDeadLettered() throws Exception {
    Map<String, Object> dlx = quorum();
    dlx.put("x-dead-letter-exchange", "");
    dlx.put("x-dead-letter-routing-key", "qq.dead");
    Map<String, Object> ttl = new HashMap<>(dlx);
    ttl.put("x-message-ttl", 500);
    Map<String, Object> limited = new HashMap<>(dlx);
    limited.put("x-delivery-limit", 1);
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.dead", true, false, false, quorum());
      ch.queueDeclare("qq.dl-ttl", true, false, false, ttl);
      ch.queueDeclare("qq.dl-reject", true, false, false, dlx);
      ch.queueDeclare("qq.dl-limit", true, false, false, limited);
    }
    Map<String, Object> atLeastOnce = new HashMap<>(dlx);
    atLeastOnce.put("x-dead-letter-strategy", "at-least-once");
    assertThat(declareError(2, "qq.dl-alo", true, false, false, atLeastOnce).getReplyText())
        .contains("x-dead-letter-strategy").contains("not support it yet");
    publish(2, "qq.dl-ttl", 0, 1);
    publish(2, "qq.dl-reject", 1, 2);
    publish(2, "qq.dl-limit", 2, 3);
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      GetResponse r = ch.basicGet("qq.dl-reject", false);
      ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
      for (int i = 0; i < 2; i++) { // the second failed delivery is past x-delivery-limit 1
        GetResponse l = ch.basicGet("qq.dl-limit", false);
        assertThat(body(l)).isEqualTo("m-2");
        ch.basicNack(l.getEnvelope().getDeliveryTag(), false, true);
      }
    }
    Map<String, String> reasons = new HashMap<>();
    // through a node that may not know qq.dead's leader yet: its basic.get waits for one, as a publish does
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      eventually(Duration.ofSeconds(20), "three dead letters", () -> {
        try {
          for (GetResponse d; (d = ch.basicGet("qq.dead", true)) != null; ) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> deaths = (List<Map<String, Object>>) d.getProps().getHeaders().get("x-death");
            reasons.put(body(d), deaths.get(0).get("reason") + " from " + deaths.get(0).get("queue"));
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e); // a 404 closed the channel
        }
        return reasons.size() == 3;
      });
    }
    assertThat(reasons).containsEntry("m-0", "expired from qq.dl-ttl")
        .containsEntry("m-1", "rejected from qq.dl-reject")
        .containsEntry("m-2", "delivery_limit from qq.dl-limit");
    for (String q : List.of("qq.dl-ttl", "qq.dl-reject", "qq.dl-limit")) {
      eventually(Duration.ofSeconds(20), q + " empty on every member", () ->
          count(1, q) == 0 && count(2, q) == 0 && count(3, q) == 0);
    }
  }

  /**
   * A vhost whose default_queue_type is quorum makes quorum queues of declarations without
   * x-queue-type; redeclaring with or without the argument agrees; transient, exclusive and
   * server-named queues stay classic.
   */
  @Test
  void aVhostsDefaultQueueTypeMakesQuorumQueues() throws Exception {
    assertThat(cluster.ctl(1, "add_vhost", "dqt", "--default-queue-type", "quorum").code()).isZero();
    assertThat(cluster.ctl(1, "set_permissions", "-p", "dqt", "guest", ".*", ".*", ".*").code()).isZero();
    com.rabbitmq.client.ConnectionFactory f = cluster.factory(2);
    f.setVirtualHost("dqt");
    eventually(Duration.ofSeconds(20), "the vhost on node 2", () -> {
      try (Connection c = f.newConnection()) {
        return c.isOpen();
      } catch (Exception e) {
        return false;
      }
    });
    String serverNamed;
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("dqt.q", true, false, false, null);
      ch.queueDeclare("dqt.q", true, false, false, null);
      ch.queueDeclare("dqt.q", true, false, false, quorum());
      ch.queueDeclare("dqt.transient", false, false, false, null);
      serverNamed = ch.queueDeclare().getQueue();
      assertThat(cluster.management(3).get("/api/queues/dqt/dqt.q").json()).containsEntry("type", "quorum");
      assertThat(cluster.management(3).get("/api/queues/dqt/dqt.transient").json()).containsEntry("type", "classic");
      assertThat(cluster.management(2).get("/api/queues/dqt/" + ManagementHttp.enc(serverNamed)).json())
          .containsEntry("type", "classic");
    }
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("", "dqt.q", MessageProperties.PERSISTENT_TEXT_PLAIN, "dq".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(20_000);
      assertThat(body(ch.basicGet("dqt.q", true))).isEqualTo("dq");
    }
  }

  /**
   * Declared through one node, published to through a second with confirms, consumed through the
   * third: in order, all of them, and the acks empty the queue on every member.
   */
  @Test
  void publishAndConsumeThroughAnyNode() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.any", true, false, false, quorum());
    }
    publish(2, "qq.any", 0, 200);
    eventually(Duration.ofSeconds(10), "every member counts 200", () ->
        count(1, "qq.any") == 200 && count(2, "qq.any") == 200 && count(3, "qq.any") == 200);
    assertThat(List.of(count(1, "qq.any"), count(2, "qq.any"), count(3, "qq.any"))).containsOnly(200L);
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      ch.basicQos(20);
      ch.basicConsume("qq.any", false, (tag, m) -> {
        ch.basicAck(m.getEnvelope().getDeliveryTag(), false);
        got.add(new String(m.getBody(), StandardCharsets.UTF_8));
      }, tag -> { });
      List<String> all = new ArrayList<>();
      while (all.size() < 200) {
        String m = got.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("delivery %d through node 3", all.size()).isNotNull();
        all.add(m);
      }
      for (int i = 0; i < 200; i++) {
        assertThat(all.get(i)).isEqualTo("m-" + i);
      }
    }
    eventually(Duration.ofSeconds(10), "the acks reached every member", () ->
        count(1, "qq.any") == 0 && count(2, "qq.any") == 0 && count(3, "qq.any") == 0);
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      ch.queueDelete("qq.any");
    }
  }

  /** basic.get and a requeue through a node that does not lead: redelivered, with its count. */
  @Test
  void getAndRequeueThroughAFollower() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.get", true, false, false, quorum());
    }
    publish(1, "qq.get", 0, 3);
    int follower = leaderIndex("qq.get") == 2 ? 3 : 2;
    try (Connection c = connect(follower); Channel ch = c.createChannel()) {
      GetResponse r = ch.basicGet("qq.get", false);
      assertThat(body(r)).isEqualTo("m-0");
      assertThat(r.getEnvelope().isRedeliver()).isFalse();
      ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
      GetResponse again = ch.basicGet("qq.get", false);
      assertThat(body(again)).isEqualTo("m-0");
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
      assertThat(again.getProps().getHeaders()).containsEntry("x-delivery-count", 1L);
      ch.basicAck(again.getEnvelope().getDeliveryTag(), false);
    }
    eventually(Duration.ofSeconds(10), "two left", () -> count(1, "qq.get") == 2);
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      assertThat(ch.queuePurge("qq.get").getMessageCount()).isEqualTo(2);
      ch.queueDelete("qq.get");
    }
  }

  /**
   * kill -9 of the leader: every confirmed message is still there, a new leader is elected, and
   * publishing and consuming go on through the surviving nodes; the killed node catches up.
   */
  @Test
  void confirmedMessagesSurviveTheLeadersKill() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.failover", true, false, false, quorum());
    }
    publish(1, "qq.failover", 0, 100);
    eventually(Duration.ofSeconds(10), "a leader", () -> leaderIndex("qq.failover") > 0);
    int leader = leaderIndex("qq.failover");
    int other = leader == 1 ? 2 : 1;
    cluster.node(leader).kill();
    eventually(Duration.ofSeconds(30), "a new leader on a surviving node", () -> {
      int l = leaderIndex("qq.failover");
      return l > 0 && l != leader;
    });
    publish(other, "qq.failover", 100, 150);
    eventually(Duration.ofSeconds(10), "150 on the survivors", () -> count(other, "qq.failover") == 150);
    try (Connection c = connect(other); Channel ch = c.createChannel()) {
      for (int i = 0; i < 150; i++) {
        GetResponse r = ch.basicGet("qq.failover", true);
        assertThat(r).as("message %d", i).isNotNull();
        assertThat(body(r)).isEqualTo("m-" + i);
      }
    }
    cluster.node(leader).start();
    cluster.awaitOnline(leader, 3);
    eventually(Duration.ofSeconds(30), "the restarted node caught up", () -> count(leader, "qq.failover") == 0);
    try (Connection c = connect(other); Channel ch = c.createChannel()) {
      ch.queueDelete("qq.failover");
    }
  }

  /**
   * Every node killed with -9 and started again: the confirmed messages are all there, in order.
   * Then the leader is killed under a consumer on another node: the consumer is attached to the
   * new leader on its own and gets the rest, what was out to it again and marked redelivered.
   */
  @Test
  void aWholeClusterKilledComesBackAndConsumersFollowTheLeader() throws Exception {
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.restart", true, false, false, quorum());
    }
    publish(3, "qq.restart", 0, 300);
    for (int i = 1; i <= 3; i++) {
      cluster.node(i).kill();
    }
    for (int i = 1; i <= 3; i++) {
      cluster.node(i).start();
    }
    for (int i = 1; i <= 3; i++) {
      cluster.awaitOnline(i, 3);
    }
    try {
      eventually(Duration.ofSeconds(30), "300 on every member", () ->
          count(1, "qq.restart") == 300 && count(2, "qq.restart") == 300 && count(3, "qq.restart") == 300);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; counts " + List.of(count(1, "qq.restart"), count(2, "qq.restart"),
          count(3, "qq.restart")) + "\n" + status("qq.restart"), e);
    }
    eventually(Duration.ofSeconds(30), "a leader", () -> leaderIndex("qq.restart") > 0);
    int leader = leaderIndex("qq.restart");
    int follower = leader == 1 ? 2 : 1;
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    BlockingQueue<String> cancelled = new LinkedBlockingQueue<>();
    java.util.concurrent.atomic.AtomicBoolean ackAll = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    try (Connection c = connect(follower); Channel ch = c.createChannel()) {
      ch.basicQos(10);
      ch.basicConsume("qq.restart", false, (tag, m) -> {
        String b = new String(m.getBody(), StandardCharsets.UTF_8);
        got.add(b + (m.getEnvelope().isRedeliver() ? " redelivered" : ""));
        if (seen.incrementAndGet() <= 100 || ackAll.get()) {
          try {
            ch.basicAck(m.getEnvelope().getDeliveryTag(), false);
          } catch (com.rabbitmq.client.AlreadyClosedException e) {
            // a duplicate (at least once) arriving while the test closes the channel
          }
        }
      }, cancelled::add);
      eventually(Duration.ofSeconds(20), "110 delivered, 100 acked", () -> got.size() >= 110);
      for (int i = 0; i < 100; i++) {
        assertThat(got.poll()).isEqualTo("m-" + i);
      }
      eventually(Duration.ofSeconds(20), "the 100 acks committed: 190 ready, 10 out", () ->
          count(follower, "qq.restart") == 190);
      got.clear();
      ackAll.set(true);
      cluster.node(leader).kill();
      List<String> rest = new ArrayList<>();
      while (rest.size() < 200) {
        String m = got.poll(30, TimeUnit.SECONDS);
        assertThat(m).as("delivery %d after the leader's kill (cancelled: %s)", rest.size(), cancelled).isNotNull();
        rest.add(m);
      }
      assertThat(cancelled).as("no basic.cancel").isEmpty();
      assertThat(rest.subList(0, 10)).as("out when the leader went: again, redelivered")
          .allMatch(m -> m.endsWith(" redelivered"));
      assertThat(rest.get(0)).isEqualTo("m-100 redelivered");
      assertThat(rest.get(199)).startsWith("m-299");
      // the consumer stays: an ack the old leader took and did not commit is a redelivery, acked again
      try {
        eventually(Duration.ofSeconds(30), "all acked", () -> count(follower, "qq.restart") == 0);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; count " + count(follower, "qq.restart") + ", after the 200: "
            + got + "\n" + status("qq.restart"), e);
      }
    }
  }

  /**
   * A member down while more than a segment of bodies (64 MB) is published and consumed: the
   * others delete the settled segment, and the member still catches up when it comes back. Made
   * the leader, it serves what was published after, and nothing of what was settled.
   */
  @Test
  void aMemberBackAfterItsBodiesWereDeletedCatchesUp() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.behind", true, false, false, quorum());
    }
    eventually(Duration.ofSeconds(20), "a leader", () -> leaderIndex("qq.behind") > 0);
    int leader = leaderIndex("qq.behind");
    int away = leader % 3 + 1;
    int other = 6 - leader - away;
    cluster.node(away).kill();
    byte[] big = new byte[1_000_000];
    try (Connection c = connect(leader); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = 0; i < 80; i++) {
        big[0] = (byte) i;
        ch.basicPublish("", "qq.behind", MessageProperties.PERSISTENT_BASIC, big);
        ch.waitForConfirmsOrDie(20_000);
      }
      for (int i = 0; i < 80; i++) {
        GetResponse r = ch.basicGet("qq.behind", false);
        assertThat(r).as("message %d", i).isNotNull();
        assertThat(r.getBody()[0]).isEqualTo((byte) i);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
      }
    }
    eventually(Duration.ofSeconds(20), "the settled segment deleted on the leader", () ->
        segments(leader, "qq.behind") == 1);
    publish(other, "qq.behind", 0, 3);
    cluster.node(away).start();
    cluster.awaitOnline(away, 3);
    eventually(Duration.ofSeconds(30), "3 on the member that was away", () -> count(away, "qq.behind") == 3);
    var moved = cluster.ctl(other, "transfer_leadership", "qq.behind", "n" + away);
    assertThat(moved.code()).as(moved.out() + moved.err() + status("qq.behind")).isZero();
    eventually(Duration.ofSeconds(20), "led by n" + away, () -> leaderIndex("qq.behind") == away);
    try (Connection c = connect(away); Channel ch = c.createChannel()) {
      for (int i = 0; i < 3; i++) {
        GetResponse r = ch.basicGet("qq.behind", true);
        assertThat(r).as("m-%d from the new leader", i).isNotNull();
        assertThat(body(r)).isEqualTo("m-" + i);
      }
      assertThat(ch.basicGet("qq.behind", true)).isNull();
    }
  }

  /** x-single-active-consumer: the first consumer gets every message; when it goes, the next takes over. */
  @Test
  void aSingleActiveConsumerTakesAllUntilItGoes() throws Exception {
    Map<String, Object> sac = quorum();
    sac.put("x-single-active-consumer", true);
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.sac", true, false, false, sac);
    }
    BlockingQueue<String> first = new LinkedBlockingQueue<>();
    BlockingQueue<String> second = new LinkedBlockingQueue<>();
    try (Connection c1 = connect(2); Connection c2 = connect(3)) {
      Channel a = c1.createChannel();
      String tagA = a.basicConsume("qq.sac", true, (t, m) -> first.add(new String(m.getBody(), StandardCharsets.UTF_8)),
          t -> { });
      publish(1, "qq.sac", 0, 1);
      assertThat(first.poll(20, TimeUnit.SECONDS)).as("the first consumer is attached").isEqualTo("m-0");
      Channel b = c2.createChannel();
      b.basicConsume("qq.sac", true, (t, m) -> second.add(new String(m.getBody(), StandardCharsets.UTF_8)), t -> { });
      publish(1, "qq.sac", 1, 11);
      for (int i = 1; i < 11; i++) {
        assertThat(first.poll(20, TimeUnit.SECONDS)).isEqualTo("m-" + i);
      }
      assertThat(second).as("the waiting consumer").isEmpty();
      a.basicCancel(tagA);
      publish(1, "qq.sac", 11, 14);
      for (int i = 11; i < 14; i++) {
        assertThat(second.poll(20, TimeUnit.SECONDS)).isEqualTo("m-" + i);
      }
      assertThat(first).isEmpty();
    }
  }

  /**
   * A quorum queue declared while a node was down has the others as members only; the node that
   * comes back is not a member, finds the leader by asking them, and serves the queue all the same.
   */
  @Test
  void aNodeThatIsNotAMemberServesTheQueue() throws Exception {
    cluster.node(3).kill();
    eventually(Duration.ofSeconds(20), "n3 seen offline", () -> {
      try {
        return cluster.ctl(1, "await_online_nodes", "3", "--timeout", "1").code() != 0;
      } catch (IOException | InterruptedException e) {
        return false;
      }
    });
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.two", true, false, false, quorum());
    }
    publish(1, "qq.two", 0, 1);
    cluster.node(3).start();
    cluster.awaitOnline(3, 3);
    var ready = cluster.ctl(3, "await_online_nodes", "3", "--timeout", "20");
    assertThat(ready.code()).as(ready.out() + ready.err()).isZero();
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      // at once: n3 may not have heard who leads yet, and its basic.get waits for that rather than a 404
      assertThat(body(ch.basicGet("qq.two", true))).isEqualTo("m-0");
    }
    Map<String, Object> q = cluster.management(3).get("/api/queues/%2F/qq.two").json();
    assertThat(q.get("members")).as("declared while n3 was down").isEqualTo(List.of("n1", "n2"));
    publish(3, "qq.two", 1, 3);
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      ch.basicConsume("qq.two", true, (t, m) -> got.add(new String(m.getBody(), StandardCharsets.UTF_8)), t -> { });
      assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("m-1");
      assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("m-2");
    }
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      ch.queueDelete("qq.two"); // a group of two is critical on both its members: the other tests check that
    }
  }

  /**
   * Without a majority of its members a quorum queue takes no publish: the publisher is nacked
   * (not confirmed in silence), and the messages confirmed before are all there once the members
   * are back.
   */
  @Test
  void withoutAMajorityAPublishIsNacked() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.minority", true, false, false, quorum());
    }
    publish(1, "qq.minority", 0, 10);
    cluster.node(2).kill();
    cluster.node(3).kill();
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("", "qq.minority", MessageProperties.PERSISTENT_TEXT_PLAIN, "lonely".getBytes(StandardCharsets.UTF_8));
      assertThat(ch.waitForConfirms(60_000)).as("nacked without a majority").isFalse();
    }
    cluster.node(2).start();
    cluster.node(3).start();
    cluster.awaitOnline(1, 3);
    eventually(Duration.ofSeconds(30), "the confirmed ten", () -> count(2, "qq.minority") >= 10);
    eventually(Duration.ofSeconds(30), "a leader", () -> leaderIndex("qq.minority") > 0);
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      for (int i = 0; i < 10; i++) {
        GetResponse r = ch.basicGet("qq.minority", true);
        assertThat(r).isNotNull();
        assertThat(body(r)).isEqualTo("m-" + i);
      }
      ch.queueDelete("qq.minority");
    }
  }

  /** A message larger than a quorum queue's entry is nacked; the queue goes on. */
  @Test
  void aMessageTooLargeIsNacked() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.large", true, false, false, quorum());
      ch.confirmSelect();
      ch.basicPublish("", "qq.large", MessageProperties.PERSISTENT_BASIC, new byte[2 << 20]);
      assertThat(ch.waitForConfirms(20_000)).as("nacked").isFalse();
      ch.basicPublish("", "qq.large", MessageProperties.PERSISTENT_BASIC, new byte[512 << 10]);
      assertThat(ch.waitForConfirms(20_000)).as("half a megabyte is taken").isTrue();
      GetResponse r = ch.basicGet("qq.large", true);
      assertThat(r.getBody()).hasSize(512 << 10);
      ch.queueDelete("qq.large");
    }
  }

  /**
   * x-consumer-timeout: a consumer on a node that is not the leader, which keeps a delivery
   * unacked too long, is cancelled by the broker (the client announced consumer_cancel_notify), and
   * the message goes back to the queue, redelivered.
   */
  @Test
  void aConsumerThatDoesNotAckInTimeIsCancelled() throws Exception {
    Map<String, Object> args = quorum();
    args.put("x-consumer-timeout", 1000);
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.timeout", true, false, false, args);
    }
    publish(1, "qq.timeout", 0, 1);
    int other = leaderIndex("qq.timeout") % 3 + 1;
    try (Connection c = connect(other); Channel ch = c.createChannel()) {
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      BlockingQueue<String> cancelled = new LinkedBlockingQueue<>();
      ch.basicConsume("qq.timeout", false, (t, m) -> got.add(new String(m.getBody(), StandardCharsets.UTF_8)),
          cancelled::add);
      assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("m-0");
      assertThat(cancelled.poll(20, TimeUnit.SECONDS)).as("the broker cancelled the consumer").isNotNull();
    }
    eventually(Duration.ofSeconds(10), "back in the queue", () -> count(2, "qq.timeout") == 1);
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      GetResponse r = ch.basicGet("qq.timeout", true);
      assertThat(r).isNotNull();
      assertThat(body(r)).isEqualTo("m-0");
      assertThat(r.getEnvelope().isRedeliver()).isTrue();
      ch.queueDelete("qq.timeout");
    }
  }

  /** Whether {@code queue} exists as node {@code node} sees it (a passive declare). */
  private static boolean exists(int node, String queue) {
    try (Connection c = connect(node); Channel ch = c.createChannel()) {
      ch.queueDeclarePassive(queue);
      return true;
    } catch (IOException e) {
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * x-expires: a quorum queue with no consumer and no basic.get for that long is deleted on every
   * node; a consumer on another node than the leader keeps it, and the time runs from its leaving.
   */
  @Test
  void anUnusedQuorumQueueExpires() throws Exception {
    Map<String, Object> args = quorum();
    args.put("x-expires", 3000);
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.expires", true, false, false, args);
    }
    publish(1, "qq.expires", 0, 1);
    int other = leaderIndex("qq.expires") % 3 + 1;
    try (Connection c = connect(other); Channel ch = c.createChannel()) {
      ch.basicConsume("qq.expires", false, (t, m) -> { }, t -> { });
      Thread.sleep(5000); // longer than x-expires: the consumer keeps the queue
      assertThat(exists(1, "qq.expires")).as("in use").isTrue();
    }
    eventually(Duration.ofSeconds(20), "deleted on every node", () -> !exists(1, "qq.expires")
        && !exists(2, "qq.expires") && !exists(3, "qq.expires"));
  }

  /** Every node's quorum_status of {@code queue} has {@code line}. */
  private static boolean everyStatusHas(String queue, String line) {
    for (int i = 1; i <= 3; i++) {
      try {
        if (!cluster.ctl(i, "quorum_status", queue).out().contains(line + "\n")) {
          return false;
        }
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Policies set a quorum queue's limits (max-length, overflow) on every member alike (the leader
   * logs them), and its dead-letter exchange; clearing the policy takes them away.
   */
  @Test
  void policiesSetTheLimitsOfAQuorumQueue() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.pol", true, false, false, quorum());
      ch.queueDeclare("qq.pol.dead", true, false, false, quorum());
    }
    publish(1, "qq.pol", 0, 5);
    var set = cluster.ctl(2, "set_policy", "pol.limit", "^qq\\.pol$", "{\"max-length\":2}", "--apply-to",
        "quorum_queues");
    assertThat(set.code()).as(set.out() + set.err()).isZero();
    eventually(Duration.ofSeconds(20), "the head dropped on every member", () -> everyStatusHas("qq.pol", "messages\t2")
        && everyStatusHas("qq.pol", "max length\t2"));

    set = cluster.ctl(3, "set_policy", "pol.limit", "^qq\\.pol$", "{\"max-length\":2,\"overflow\":\"reject-publish\","
        + "\"dead-letter-exchange\":\"\",\"dead-letter-routing-key\":\"qq.pol.dead\"}", "--apply-to", "quorum_queues");
    assertThat(set.code()).as(set.out() + set.err()).isZero();
    eventually(Duration.ofSeconds(20), "reject-publish on every member", () -> everyStatusHas("qq.pol",
        "overflow\treject-publish"));
    try (Connection c = connect(2); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("", "qq.pol", MessageProperties.PERSISTENT_TEXT_PLAIN, "m-5".getBytes(StandardCharsets.UTF_8));
      assertThat(ch.waitForConfirms(20_000)).as("nacked: the queue is full").isFalse();
    }
    try (Connection c = connect(3); Channel ch = c.createChannel()) {
      GetResponse r = ch.basicGet("qq.pol", false);
      assertThat(body(r)).isEqualTo("m-3"); // m-0 to m-2 were dropped
      ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
    }
    eventually(Duration.ofSeconds(20), "dead-lettered by the policy", () -> count(1, "qq.pol.dead") == 1);

    assertThat(cluster.ctl(1, "clear_policy", "pol.limit").code()).isZero();
    eventually(Duration.ofSeconds(20), "no limit", () -> everyStatusHas("qq.pol", "max length\t-1"));
    publish(2, "qq.pol", 6, 9); // confirmed: no limit any more
    assertThat(count(1, "qq.pol")).isEqualTo(4);
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      assertThat(body(ch.basicGet("qq.pol.dead", true))).isEqualTo("m-3");
      ch.queueDelete("qq.pol");
      ch.queueDelete("qq.pol.dead");
    }
  }

  /**
   * What operators see and do: the management API's quorum fields, transfer_leadership moving the
   * leader, and check_if_node_is_quorum_critical (and its health check) failing once stopping a
   * node would cost a queue its majority.
   */
  @Test
  void operatorsSeeMoveAndGuardTheLeader() throws Exception {
    try (Connection c = connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("qq.ops", true, false, false, quorum());
    }
    publish(1, "qq.ops", 0, 5);
    eventually(Duration.ofSeconds(20), "a leader", () -> leaderIndex("qq.ops") > 0);
    int target = leaderIndex("qq.ops") % 3 + 1;
    var moved = cluster.ctl(1, "transfer_leadership", "qq.ops", "n" + target);
    assertThat(moved.code()).as(moved.out() + moved.err()).isZero();
    eventually(Duration.ofSeconds(20), "led by n" + target, () -> leaderIndex("qq.ops") == target);
    eventually(Duration.ofSeconds(10), "the API shows it", () -> {
      Map<String, Object> q = cluster.management(2).get("/api/queues/%2F/qq.ops").json();
      return "quorum".equals(q.get("type")) && ("n" + target).equals(q.get("leader"))
          && List.of("n1", "n2", "n3").equals(q.get("members")) && "running".equals(q.get("state"))
          && Integer.valueOf(5).equals(q.get("messages"));
    });
    assertThat(cluster.ctl(1, "check_if_node_is_quorum_critical").code()).isZero();
    assertThat(cluster.ctl(1, "quorum_status", "qq.ops").out()).contains("raft role").contains("messages\t5");
    cluster.node(3).kill();
    eventually(Duration.ofSeconds(20), "node 1 is critical", () -> {
      try {
        var r = cluster.ctl(1, "check_if_node_is_quorum_critical");
        return r.code() != 0 && (r.out() + r.err()).contains("qq.ops");
      } catch (IOException | InterruptedException e) {
        return false;
      }
    });
    assertThat(cluster.management(1).get("/api/health/checks/node-is-quorum-critical").status()).isEqualTo(503);
  }
}
