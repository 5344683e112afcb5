package io.warrenmq.it.cluster;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warrenmq.it.support.ClusterProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The members of a quorum queue changed by warrenctl as rabbitmq-queues does ({@code add_member},
 * {@code delete_member}, {@code grow}, {@code shrink}) on three real broker processes: a member
 * added catches up on what was published before it, a member removed loses its data, and every
 * node serves the queue all along.
 */
class QuorumMembersIT {
  @RegisterExtension
  static final ClusterProcesses cluster = ClusterProcesses.perClass(3, List.of("--cluster-metadata-timeout", "5000"));

  private static void declare(String queue, int size) throws Exception {
    Map<String, Object> a = new HashMap<>();
    a.put("x-queue-type", "quorum");
    a.put("x-quorum-initial-group-size", size);
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.queueDeclare(queue, true, false, false, a);
    }
  }

  private static void publish(String queue, int from, int to) throws Exception {
    try (Connection c = cluster.connect(1); Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = from; i < to; i++) {
        ch.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, ("m-" + i).getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(20_000);
    }
  }

  private static String get(int node, String queue) throws Exception {
    try (Connection c = cluster.connect(node); Channel ch = c.createChannel()) {
      GetResponse r = ch.basicGet(queue, true);
      return r == null ? "(empty)" : new String(r.getBody(), StandardCharsets.UTF_8);
    }
  }

  /** Whether every node's management API shows {@code queue} with these members. */
  private static boolean everyNodeSees(String queue, List<String> members) {
    for (int i = 1; i <= 3; i++) {
      Map<String, Object> q;
      try {
        q = cluster.management(i).get("/api/queues/%2F/" + queue).json();
      } catch (RuntimeException e) {
        return false;
      }
      if (!members.equals(q.get("members"))) {
        return false;
      }
    }
    return true;
  }

  private static String memberHere(int node, String queue) throws IOException, InterruptedException {
    for (String line : cluster.ctl(node, "quorum_status", queue).out().split("\n")) {
      if (line.startsWith("member here\t")) {
        return line.substring("member here\t".length()).trim();
      }
    }
    return "(no line)";
  }

  private static String leader(int node, String queue) {
    try {
      return cluster.ctl(node, "queue_leader", queue).out().trim();
    } catch (IOException | InterruptedException e) {
      return "(" + e + ")";
    }
  }

  private static WarrenctlResult ctl(int node, String... args) throws IOException, InterruptedException {
    var r = cluster.ctl(node, args);
    return new WarrenctlResult(r.code(), r.out() + r.err());
  }

  private record WarrenctlResult(int code, String text) {}

  /** The members of {@code queue} as node 1's management API shows them. */
  @SuppressWarnings("unchecked")
  private static List<String> members(String queue) {
    return (List<String>) cluster.management(1).get("/api/queues/%2F/" + queue).json().get("members");
  }

  /** The node of the three that is not in {@code members}. */
  private static String outside(List<String> members) {
    for (String n : List.of("n1", "n2", "n3")) {
      if (!members.contains(n)) {
        return n;
      }
    }
    throw new AssertionError("every node is a member: " + members);
  }

  private static int index(String node) {
    return Integer.parseInt(node.substring(1));
  }

  @Test
  void aMemberAddedCatchesUpAndAMemberRemovedLetsGo() throws Exception {
    declare("qq.members", 2);
    List<String> first = members("qq.members");
    assertThat(first).hasSize(2).startsWith("n1"); // the declaring node and one other
    String b = first.get(1);
    String c = outside(first);
    publish("qq.members", 0, 5);

    var added = ctl(1, "add_member", "qq.members", c);
    assertThat(added.code()).as(added.text()).isZero();
    assertThat(added.text()).contains("Adding a replica for queue qq.members on node " + c + "...");
    eventually(Duration.ofSeconds(10), "every node sees " + c + " a member", () -> everyNodeSees("qq.members",
        List.of("n1", b, c)));
    assertThat(memberHere(index(c), "qq.members")).isEqualTo("true");
    var again = ctl(2, "add_member", "qq.members", c);
    assertThat(again.code()).isNotZero();
    assertThat(again.text()).contains("already a member");

    // the new member has all of it: once it leads, it hands out the messages published before it joined
    var moved = ctl(1, "transfer_leadership", "qq.members", c);
    assertThat(moved.code()).as(moved.text()).isZero();
    eventually(Duration.ofSeconds(20), c + " leads", () -> leader(1, "qq.members").equals(c));
    assertThat(get(index(b), "qq.members")).isEqualTo("m-0");

    var removed = ctl(index(b), "delete_member", "qq.members", "n1");
    assertThat(removed.code()).as(removed.text()).isZero();
    assertThat(removed.text()).contains("Removing a replica for queue qq.members on node n1...");
    eventually(Duration.ofSeconds(10), "n1 is a member no longer", () -> everyNodeSees("qq.members",
        List.of(b, c)));
    eventually(Duration.ofSeconds(10), "n1 let its member go", () -> {
      try {
        return memberHere(1, "qq.members").equals("false");
      } catch (IOException | InterruptedException e) {
        return false;
      }
    });
    // n1 still serves the queue, through the leader
    assertThat(get(1, "qq.members")).isEqualTo("m-1");
    publish("qq.members", 5, 6);
    eventually(Duration.ofSeconds(10), "4 messages", () -> Integer.valueOf(4).equals(
        cluster.management(index(c)).get("/api/queues/%2F/qq.members").json().get("messages")));
    var notMember = ctl(index(c), "delete_member", "qq.members", "n1");
    assertThat(notMember.code()).isNotZero();
    assertThat(notMember.text()).contains("not a member");

    // and it may come back: its state starts from nothing and catches up again
    var back = ctl(1, "add_member", "qq.members", "n1");
    assertThat(back.code()).as(back.text()).isZero();
    var home = ctl(1, "transfer_leadership", "qq.members", "n1");
    assertThat(home.code()).as(home.text()).isZero();
    eventually(Duration.ofSeconds(20), "n1 leads", () -> leader(index(b), "qq.members").equals("n1"));
    assertThat(get(index(c), "qq.members")).isEqualTo("m-2");
    eventually(Duration.ofSeconds(10), "3 messages", () -> Integer.valueOf(3).equals(
        cluster.management(1).get("/api/queues/%2F/qq.members").json().get("messages")));
    try (Connection conn = cluster.connect(1); Channel ch = conn.createChannel()) {
      ch.queueDelete("qq.members");
    }
  }

  @Test
  void growAndShrinkChangeEveryMatchingQueue() throws Exception {
    declare("qq.grow.a", 1);
    declare("qq.grow.b", 2);
    declare("qq.other", 1);
    publish("qq.grow.a", 0, 2);
    String x = members("qq.grow.b").get(1);
    String c = outside(members("qq.grow.b"));

    var even = ctl(2, "grow", c, "even", "--queue-pattern", "^qq\\.grow\\.");
    assertThat(even.code()).as(even.text()).isZero();
    assertThat(even.text()).contains("Growing even quorum queues on " + c + "...")
        .contains("vhost\tname\tsize\tresult").contains("/\tqq.grow.b\t3\tok").doesNotContain("qq.grow.a")
        .doesNotContain("qq.other");

    var all = ctl(2, "grow", c, "all", "--queue-pattern", "^qq\\.grow\\.");
    assertThat(all.code()).as(all.text()).isZero();
    assertThat(all.text()).contains("/\tqq.grow.a\t2\tok").doesNotContain("qq.grow.b").doesNotContain("qq.other");
    eventually(Duration.ofSeconds(10), "the members", () -> everyNodeSees("qq.grow.a", List.of("n1", c))
        && everyNodeSees("qq.grow.b", List.of("n1", x, c)) && everyNodeSees("qq.other", List.of("n1")));

    var shrunk = ctl(3, "shrink", "n1", "--queue-pattern", "^qq\\.");
    assertThat(shrunk.code()).as(shrunk.text()).isZero();
    assertThat(shrunk.text()).contains("Shrinking quorum queues on n1...").contains("/\tqq.grow.a\t1\tok")
        .contains("/\tqq.grow.b\t2\tok").doesNotContain("qq.other"); // its last member stays
    eventually(Duration.ofSeconds(10), "n1 left", () -> everyNodeSees("qq.grow.a", List.of(c))
        && everyNodeSees("qq.grow.b", List.of(x, c)));
    assertThat(get(1, "qq.grow.a")).isEqualTo("m-0");

    var bad = ctl(1, "grow", c, "most");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.text()).contains("strategy 'most' is not recognised.");
    var unknown = ctl(1, "add_member", "qq.other", "n9");
    assertThat(unknown.code()).isNotZero();
    assertThat(unknown.text()).contains("node n9 is not a member of the cluster");
    try (Connection conn = cluster.connect(1); Channel ch = conn.createChannel()) {
      for (String q : List.of("qq.grow.a", "qq.grow.b", "qq.other")) {
        ch.queueDelete(q);
      }
    }
  }

  @Test
  void theManagementApiChangesTheMembers() throws Exception {
    declare("qq.api", 1);
    var api = cluster.management(2);
    String other = "n2";
    var added = api.post("/api/queues/quorum/%2F/qq.api/replicas/add", Map.of("node", other));
    assertThat(added.status()).as(added.body()).isEqualTo(204);
    eventually(Duration.ofSeconds(10), other + " joined", () -> everyNodeSees("qq.api", List.of("n1", other)));
    var removed = api.send("DELETE", "/api/queues/quorum/%2F/qq.api/replicas/delete", Map.of("node", "n1"));
    assertThat(removed.status()).as(removed.body()).isEqualTo(204);
    eventually(Duration.ofSeconds(10), "n1 left", () -> everyNodeSees("qq.api", List.of(other)));

    var grown = api.post("/api/queues/quorum/replicas/on/n1/grow",
        Map.of("strategy", "all", "vhost_pattern", "^/$", "queue_pattern", "^qq\\.api$"));
    assertThat(grown.status()).as(grown.body()).isEqualTo(204);
    eventually(Duration.ofSeconds(10), "n1 is back", () -> everyNodeSees("qq.api", List.of(other, "n1")));
    var shrunk = api.delete("/api/queues/quorum/replicas/on/" + other + "/shrink");
    assertThat(shrunk.status()).as(shrunk.body()).isEqualTo(202);
    eventually(Duration.ofSeconds(10), other + " left", () -> everyNodeSees("qq.api", List.of("n1")));

    var noNode = api.post("/api/queues/quorum/%2F/qq.api/replicas/add", Map.of());
    assertThat(noNode.status()).isEqualTo(400);
    assertThat(noNode.body()).contains("key_missing,node");
    var unknown = api.post("/api/queues/quorum/%2F/qq.api/replicas/add", Map.of("node", "n9"));
    assertThat(unknown.status()).isEqualTo(503);
    assertThat(unknown.json()).containsEntry("error", "service_unavailable");
    assertThat(String.valueOf(unknown.json().get("reason"))).contains("node n9 is not a member of the cluster");
    assertThat(api.post("/api/queues/quorum/%2F/nope/replicas/add", Map.of("node", "n3")).status()).isEqualTo(404);
    assertThat(api.post("/api/queues/quorum/replicas/on/n9/grow",
        Map.of("strategy", "all", "vhost_pattern", ".*", "queue_pattern", ".*")).status()).isEqualTo(404);
    try (Connection conn = cluster.connect(1); Channel ch = conn.createChannel()) {
      ch.queueDelete("qq.api");
    }
  }

  @Test
  void rebalanceSpreadsTheLeaders() throws Exception {
    List<String> queues = List.of("qq.bal.a", "qq.bal.b", "qq.bal.c");
    for (String q : queues) {
      declare(q, 3); // declared on n1: n1 leads them all (client-local)
      eventually(Duration.ofSeconds(20), q + " led by n1", () -> leader(2, q).equals("n1"));
    }
    var r = ctl(2, "rebalance", "quorum", "--queue-pattern", "^qq\\.bal\\.");
    assertThat(r.code()).as(r.text()).isZero();
    assertThat(r.text()).contains("Re-balancing leaders of quorum queues...").contains("Node name\tNumber of quorum queues")
        .contains("n1\t1").contains("n2\t1").contains("n3\t1");
    eventually(Duration.ofSeconds(20), "one leader a node", () -> queues.stream().map(q -> leader(1, q))
        .collect(java.util.stream.Collectors.toSet()).equals(java.util.Set.of("n1", "n2", "n3")));

    for (String q : queues) {
      assertThat(ctl(1, "transfer_leadership", q, "n3").code()).isZero();
    }
    var api = cluster.management(1).post("/api/rebalance/queues", null);
    assertThat(api.status()).as(api.body()).isEqualTo(204);
    eventually(Duration.ofSeconds(30), "one leader a node again", () -> queues.stream().map(q -> leader(2, q))
        .collect(java.util.stream.Collectors.toSet()).equals(java.util.Set.of("n1", "n2", "n3")));
    var bad = ctl(1, "rebalance", "some");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.text()).contains("type some is not supported. Try one of all, classic, quorum.");
    try (Connection conn = cluster.connect(1); Channel ch = conn.createChannel()) {
      for (String q : queues) {
        ch.queueDelete(q);
      }
    }
  }
}
