package io.warrenmq.it.cluster;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.warrenmq.it.support.ClusterProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The topology (exchanges, queues with their home node, bindings) is replicated through the
 * metadata log: declared through one node, every node knows it, routes with it and refuses what
 * contradicts it; queues live on the node that declared them.
 */
class ClusterTopologyIT {
  @RegisterExtension
  static final ClusterProcesses cluster = ClusterProcesses.perClass(3, List.of("--cluster-metadata-timeout", "3000"));

  /** The channel error an operation on a fresh channel of {@code c} closed it with. */
  private static AMQP.Channel.Close channelError(Connection c, ChannelOp op) throws Exception {
    Channel ch = c.createChannel();
    try {
      op.run(ch);
    } catch (IOException e) {
      ShutdownSignalException s = (ShutdownSignalException) e.getCause();
      return (AMQP.Channel.Close) s.getReason();
    }
    throw new AssertionError("no channel error");
  }

  interface ChannelOp {
    void run(Channel ch) throws Exception;
  }

  private static boolean exists(int node, String kind, String name) {
    try (Connection c = cluster.connect(node); Channel ch = c.createChannel()) {
      if (kind.equals("queue")) {
        ch.queueDeclarePassive(name);
      } else {
        ch.exchangeDeclarePassive(name);
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String body(GetResponse r) {
    return new String(r.getBody(), StandardCharsets.UTF_8);
  }

  @Test
  void whatOneNodeDeclaresEveryNodeKnowsAndRoutesWith() throws Exception {
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("orders", "topic", true);
      ch.exchangeDeclare("orders.audit", "fanout", false); // transient exchanges are cluster-wide too
      ch.queueDeclare("orders.eu", true, false, false, Map.of("x-max-length", 100));
      ch.queueBind("orders.eu", "orders", "eu.#");
      ch.exchangeBind("orders.audit", "orders", "#");
    }
    for (int i = 2; i <= 3; i++) {
      assertThat(exists(i, "exchange", "orders")).as("exchange on node %d", i).isTrue();
      assertThat(exists(i, "exchange", "orders.audit")).as("transient exchange on node %d", i).isTrue();
      assertThat(exists(i, "queue", "orders.eu")).as("queue on node %d", i).isTrue();
      var q = cluster.management(i).get("/api/queues/%2F/orders.eu").json();
      assertThat(q.get("node")).as("the queue's home, seen from node %d", i).isEqualTo("n1");
      assertThat(cluster.ctl(i, "-q", "queue_leader", "orders.eu").out().strip()).isEqualTo("n1");
      var b = cluster.management(i).get("/api/exchanges/%2F/orders/bindings/source").jsonList();
      assertThat(b).extracting(x -> x.get("destination") + " " + x.get("routing_key"))
          .as("bindings on node %d", i).containsExactlyInAnyOrder("orders.eu eu.#", "orders.audit #");
    }
    // a conflicting redeclaration through another node is refused as on one node
    try (Connection c = cluster.connect(2)) {
      AMQP.Channel.Close e = channelError(c, ch -> ch.queueDeclare("orders.eu", true, false, false, null));
      assertThat(e.getReplyCode()).isEqualTo(406);
      assertThat(e.getReplyText()).contains("x-max-length");
      e = channelError(c, ch -> ch.exchangeDeclare("orders", "direct", true));
      assertThat(e.getReplyCode()).isEqualTo(406);
      try (Channel ch = c.createChannel()) {
        ch.queueDeclare("orders.eu", true, false, false, Map.of("x-max-length", 100)); // equivalent: fine
      }
    }
    // a publish through the queue's home node routes by the bindings made there
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish("orders", "eu.fr", MessageProperties.PERSISTENT_TEXT_PLAIN, "o-1".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
      assertThat(body(ch.basicGet("orders.eu", true))).isEqualTo("o-1");
    }
    // deleted through node 3, it is gone everywhere, bindings with it
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      ch.queueDelete("orders.eu");
      ch.exchangeDelete("orders.audit");
    }
    for (int i = 1; i <= 3; i++) {
      assertThat(exists(i, "queue", "orders.eu")).as("queue on node %d", i).isFalse();
      assertThat(exists(i, "exchange", "orders.audit")).as("exchange on node %d", i).isFalse();
      assertThat(cluster.management(i).get("/api/exchanges/%2F/orders/bindings/source").jsonList())
          .as("bindings on node %d", i).isEmpty();
    }
  }

  /**
   * A classic queue is reached from every node over the inter-node link: a publish through another
   * node is confirmed once the home node stored it (it survives the home node's kill -9), and a
   * consumer on a third node gets it within its prefetch and acks it back.
   */
  @Test
  void aQueueOnAnotherNodeIsPublishedToAndConsumedFromThroughAnyNode() throws Exception {
    try (Connection c = cluster.connect(2); Channel ch = c.createChannel()) {
      ch.queueDeclare("homed.on.n2", true, false, false, null);
    }
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = 0; i < 50; i++) {
        ch.basicPublish("", "homed.on.n2", MessageProperties.PERSISTENT_TEXT_PLAIN,
            ("m-" + i).getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(10_000);
    }
    cluster.node(2).kill();
    cluster.node(2).start();
    cluster.awaitOnline(2, 3);
    try (Connection c = cluster.connect(2); Channel ch = c.createChannel()) {
      assertThat(ch.messageCount("homed.on.n2")).as("confirmed through node 1, kept by node 2's disk").isEqualTo(50);
    }
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      GetResponse r = ch.basicGet("homed.on.n2", false);
      assertThat(body(r)).as("basic.get through node 1").isEqualTo("m-0");
      assertThat(r.getMessageCount()).as("left on node 2").isEqualTo(49);
      ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
      GetResponse again = ch.basicGet("homed.on.n2", false);
      assertThat(body(again)).isEqualTo("m-0");
      assertThat(again.getEnvelope().isRedeliver()).isTrue();
    } // closed unacked: back to the queue
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("empty.on.n1", false, false, true, null);
    }
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      assertThat(ch.basicGet("empty.on.n1", true)).as("basic.get-empty through node 3").isNull();
      ch.queueDelete("empty.on.n1");
    }
    java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      ch.basicQos(5);
      ch.basicConsume("homed.on.n2", false, (tag, m) -> {
        ch.basicAck(m.getEnvelope().getDeliveryTag(), false); // before the test sees it and closes the channel
        got.add(new String(m.getBody(), StandardCharsets.UTF_8));
      }, tag -> { });
      List<String> all = new ArrayList<>();
      while (all.size() < 50) {
        String m = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(m).as("delivery %d through node 3", all.size()).isNotNull();
        all.add(m);
      }
      assertThat(all).as("in order").startsWith("m-0", "m-1", "m-2").endsWith("m-49");
    }
    eventually(Duration.ofSeconds(10), "acks reached node 2", () -> {
      try (Connection c = cluster.connect(2); Channel ch = c.createChannel()) {
        return ch.messageCount("homed.on.n2") == 0;
      } catch (Exception e) {
        return false;
      }
    });
    try (Connection c = cluster.connect(2); Channel ch = c.createChannel()) {
      ch.queueDelete("homed.on.n2");
    }
  }

  /** queue.declare's counts and queue.purge through another node are the home node's. */
  @Test
  void countsAndPurgeThroughAnotherNodeAreTheHomeNodes() throws Exception {
    try (Connection c = cluster.connect(2); Channel ch = c.createChannel()) {
      ch.queueDeclare("counted.on.n2", true, false, false, null);
      ch.confirmSelect();
      for (int i = 0; i < 5; i++) {
        ch.basicPublish("", "counted.on.n2", MessageProperties.PERSISTENT_TEXT_PLAIN, "x".getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(5000);
      Channel consumer = c.createChannel();
      consumer.basicQos(1);
      java.util.concurrent.CountDownLatch delivered = new java.util.concurrent.CountDownLatch(1);
      consumer.basicConsume("counted.on.n2", false, (t, m) -> delivered.countDown(), t -> { });
      assertThat(delivered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      try (Connection c1 = cluster.connect(1); Channel x = c1.createChannel()) {
        AMQP.Queue.DeclareOk ok = x.queueDeclarePassive("counted.on.n2");
        assertThat(ok.getMessageCount()).as("ready on node 2 (one is out to its consumer)").isEqualTo(4);
        assertThat(ok.getConsumerCount()).isEqualTo(1);
        AMQP.Queue.DeclareOk again = x.queueDeclare("counted.on.n2", true, false, false, null);
        assertThat(again.getMessageCount()).as("an active redeclaration too").isEqualTo(4);
        assertThat(x.queuePurge("counted.on.n2").getMessageCount()).isEqualTo(4);
        assertThat(x.messageCount("counted.on.n2")).isZero();
      }
      ch.queueDelete("counted.on.n2");
    }
  }

  /**
   * What a consumer through another node had not acked goes back to the queue, redelivered, when
   * its channel closes; when the home node goes down, the consumer is cancelled (basic.cancel).
   */
  @Test
  void unackedDeliveriesThroughAnotherNodeGoBackAndTheConsumerEndsWithItsHome() throws Exception {
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      ch.queueDeclare("homed.on.n3", true, false, false, null);
      ch.confirmSelect();
      ch.basicPublish("", "homed.on.n3", MessageProperties.PERSISTENT_TEXT_PLAIN, "once".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
    }
    java.util.concurrent.BlockingQueue<Boolean> redelivered = new java.util.concurrent.LinkedBlockingQueue<>();
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.basicQos(1);
      ch.basicConsume("homed.on.n3", false, (tag, m) -> redelivered.add(m.getEnvelope().isRedeliver()), tag -> { });
      assertThat(redelivered.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
    } // closed without an ack
    java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
    Connection c = cluster.connect(1);
    try {
      Channel ch = c.createChannel();
      ch.basicQos(1);
      ch.basicConsume("homed.on.n3", false, (tag, m) -> redelivered.add(m.getEnvelope().isRedeliver()),
          tag -> cancelled.countDown());
      assertThat(redelivered.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("redelivered").isTrue();
      cluster.node(3).kill();
      assertThat(cancelled.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("basic.cancel from node 1").isTrue();
    } finally {
      c.close();
      cluster.node(3).start();
      cluster.awaitOnline(3, 3);
    }
    try (Connection c3 = cluster.connect(3); Channel ch = c3.createChannel()) {
      assertThat(ch.messageCount("homed.on.n3")).as("never acked: still there").isEqualTo(1);
      ch.queueDelete("homed.on.n3");
    }
  }

  @Test
  void anExclusiveQueueIsLockedOnEveryNodeAndGoesWithItsConnection() throws Exception {
    Connection owner = cluster.connect(1);
    String name;
    try {
      name = owner.createChannel().queueDeclare("", false, true, false, null).getQueue();
      assertThat(name).startsWith("amq.gen-");
      for (int i = 2; i <= 3; i++) {
        try (Connection c = cluster.connect(i)) {
          AMQP.Channel.Close e = channelError(c, ch -> ch.queueDeclarePassive(name));
          assertThat(e.getReplyCode()).as("node %d", i).isEqualTo(405);
        }
      }
    } finally {
      owner.close();
    }
    for (int i = 1; i <= 3; i++) {
      int node = i;
      eventually(Duration.ofSeconds(10), "the exclusive queue gone on node " + node, () -> !exists(node, "queue", name));
    }
  }

  @Test
  void anAutoDeleteQueueGoesEverywhereWithItsLastConsumer() throws Exception {
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      ch.queueDeclare("ephemeral", false, false, true, null);
      String tag = ch.basicConsume("ephemeral", true, (t, m) -> { }, t -> { });
      assertThat(exists(1, "queue", "ephemeral")).isTrue();
      ch.basicCancel(tag);
    }
    for (int i = 1; i <= 3; i++) {
      int node = i;
      eventually(Duration.ofSeconds(10), "auto-deleted on node " + node, () -> !exists(node, "queue", "ephemeral"));
    }
  }

  @Test
  void twoNodesDeclaringOneNameAtOnceGetOneQueue() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int node : new int[] {1, 2}) {
        Callable<String> declare = () -> {
          try (Connection c = cluster.connect(node); Channel ch = c.createChannel()) {
            return ch.queueDeclare("contended", true, false, false, null).getQueue();
          }
        };
        results.add(pool.submit(declare));
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEqualTo("contended");
      }
    } finally {
      pool.shutdown();
    }
    Object home = cluster.management(1).get("/api/queues/%2F/contended").json().get("node");
    assertThat(home).isIn("n1", "n2");
    for (int i = 2; i <= 3; i++) {
      assertThat(cluster.management(i).get("/api/queues/%2F/contended").json().get("node")).isEqualTo(home);
    }
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      ch.queueDelete("contended");
    }
  }

  /**
   * A restarted node comes back with the cluster's topology, transient exchanges included; its
   * own transient queue did not outlive the restart and is gone on every node, its durable one
   * kept its messages.
   */
  @Test
  void aRestartedNodeKeepsTheTopologyAndDropsItsTransientQueues() throws Exception {
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("events", "fanout", false);
      ch.queueDeclare("n3.durable", true, false, false, null);
      ch.queueDeclare("n3.transient", false, false, false, null);
      ch.queueBind("n3.durable", "events", "");
      ch.confirmSelect();
      ch.basicPublish("events", "", MessageProperties.PERSISTENT_TEXT_PLAIN, "e-1".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(5000);
    }
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare("n1.durable", true, false, false, null);
    }
    assertThat(cluster.node(3).stop()).isZero();
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("while.down", "direct", true); // node 3 catches up on this
    }
    cluster.node(3).start();
    cluster.awaitOnline(3, 3);
    assertThat(exists(3, "exchange", "events")).as("from its own definitions").isTrue();
    assertThat(exists(3, "queue", "n1.durable")).isTrue();
    eventually(Duration.ofSeconds(10), "node 3 caught up with the log", () -> exists(3, "exchange", "while.down"));
    for (int i = 1; i <= 3; i++) {
      int node = i;
      eventually(Duration.ofSeconds(15), "n3.transient gone on node " + node, () -> !exists(node, "queue", "n3.transient"));
    }
    try (Connection c = cluster.connect(3); Channel ch = c.createChannel()) {
      assertThat(body(ch.basicGet("n3.durable", true))).isEqualTo("e-1");
      ch.queueDelete("n3.durable");
      ch.queueDelete("n1.durable");
      ch.exchangeDelete("events");
      ch.exchangeDelete("while.down");
    }
  }

  @Test
  void withoutAMajorityADeclarationFailsAndNothingDiverges() throws Exception {
    cluster.node(1).kill();
    cluster.node(2).kill();
    try (Connection c = cluster.connect(3)) {
      assertThatThrownBy(() -> {
        try (Channel ch = c.createChannel()) {
          ch.queueDeclare("lonely", true, false, false, null);
        }
      }).hasStackTraceContaining("metadata store operation timed out");
    } finally {
      cluster.node(1).start();
      cluster.node(2).start();
    }
    cluster.awaitOnline(3, 3);
    eventually(Duration.ofSeconds(10), "the nodes agree on the timed-out declaration", () -> {
      boolean one = exists(1, "queue", "lonely");
      return one == exists(2, "queue", "lonely") && one == exists(3, "queue", "lonely");
    });
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDelete("lonely");
    }
  }
}
