package io.warrenmq.broker.view;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * RabbitMQ's {@code grow} and {@code shrink} of quorum queues' members, for warrenctl and the
 * management API alike: a member on a node added to every matching queue that lacks one (all, or
 * those with an even number of members), or a node's member removed from every matching queue but
 * the last one; and {@code rebalance}: the leaders spread over the running nodes. The queues are
 * changed one after the other, each through {@link ClusterView}.
 */
public final class QuorumReplicas {
  private QuorumReplicas() {}

  /** One queue's outcome: its members after, and the error if it failed (null: ok). */
  public record Result(String vhost, String name, int size, @Nullable String error) {}

  /** Which quorum queues the command takes: by vhost and queue name, regular expressions found in them. */
  public record Selection(Pattern vhosts, Pattern queues) {
    public static final Selection ALL = new Selection(Pattern.compile(".*"), Pattern.compile(".*"));
  }

  /**
   * grow: a member on {@code node} for every selected quorum queue that lacks one ({@code even}:
   * only for those with an even number of members).
   *
   * @throws IllegalArgumentException if this node is not in a cluster
   */
  public static List<Result> grow(Broker broker, String node, boolean even, Selection which) {
    ClusterView view = view(broker);
    return each(broker, which, q -> !q.members().contains(node) && (!even || q.members().size() % 2 == 0),
        q -> view.addQueueMember(q, node));
  }

  /**
   * shrink: {@code node}'s member removed from every selected quorum queue it is a member of, but
   * not the last one.
   *
   * @throws IllegalArgumentException if this node is not in a cluster
   */
  public static List<Result> shrink(Broker broker, String node, Selection which) {
    ClusterView view = view(broker);
    return each(broker, which, q -> q.members().contains(node) && q.members().size() > 1,
        q -> view.deleteQueueMember(q, node));
  }

  /** A running node and how many of the selected quorum queues it leads, after a rebalance. */
  public record Leaders(String node, int queues) {}

  /**
   * rebalance (RabbitMQ's rabbit_amqqueue:rebalance): while a running node leads more than its
   * share of the selected quorum queues (their number over the running nodes, rounded up), one of
   * them goes to the member on a running node that leads the fewest, if that one leads fewer than
   * its share. A transfer that fails leaves the queue where it is.
   *
   * @throws IllegalArgumentException if this node is not in a cluster
   */
  public static List<Leaders> rebalance(Broker broker, Selection which) {
    ClusterView view = view(broker);
    String self = null;
    java.util.Map<String, List<Queue>> byNode = new java.util.LinkedHashMap<>();
    for (ClusterView.Member m : view.members()) {
      if (m.running()) {
        byNode.put(m.name(), new ArrayList<>());
      }
      if (m.self()) {
        self = m.name();
      }
    }
    List<Queue> selected = each(broker, which, q -> true);
    for (Queue q : selected) {
      String leader = q.homeNode() == null ? self : q.homeNode();
      List<Queue> led = leader == null ? null : byNode.get(leader);
      if (led != null) {
        led.add(q);
      }
    }
    int total = byNode.values().stream().mapToInt(List::size).sum();
    int share = byNode.isEmpty() ? 0 : (total + byNode.size() - 1) / byNode.size();
    java.util.Set<Queue> stuck = new java.util.HashSet<>();
    boolean moved = true;
    for (int round = 0; moved && round <= total; round++) {
      moved = false;
      for (var e : byNode.entrySet()) {
        List<Queue> led = e.getValue();
        if (led.size() <= share) {
          continue;
        }
        for (Queue q : List.copyOf(led)) {
          if (led.size() <= share) {
            break;
          }
          String to = leastLoaded(byNode, q, e.getKey(), share);
          if (to == null || stuck.contains(q)) {
            continue;
          }
          try {
            view.transferQueueLeadership(q, to);
            led.remove(q);
            byNode.get(to).add(q);
            moved = true;
          } catch (RuntimeException ex) {
            stuck.add(q);
          }
        }
      }
    }
    List<Leaders> out = new ArrayList<>();
    byNode.forEach((node, led) -> out.add(new Leaders(node, led.size())));
    return out;
  }

  /** The running member of {@code q} other than {@code from} that leads the fewest, fewer than {@code share}; or null. */
  private static @Nullable String leastLoaded(java.util.Map<String, List<Queue>> byNode, Queue q, String from,
      int share) {
    String best = null;
    int fewest = share;
    for (String m : q.members()) {
      List<Queue> led = byNode.get(m);
      if (!m.equals(from) && led != null && led.size() < fewest) {
        best = m;
        fewest = led.size();
      }
    }
    return best;
  }

  private static ClusterView view(Broker broker) {
    ClusterView view = broker.clusterView();
    if (view == null) {
      throw new IllegalArgumentException("this node is not in a cluster");
    }
    return view;
  }

  private static List<Result> each(Broker broker, Selection which, Predicate<Queue> wanted, Consumer<Queue> step) {
    List<Result> out = new ArrayList<>();
    for (Queue q : each(broker, which, wanted)) {
      String error = null;
      try {
        step.accept(q);
      } catch (RuntimeException e) {
        error = String.valueOf(e.getMessage());
      }
      out.add(new Result(q.spec().vhost(), q.spec().name(), q.members().size(), error));
    }
    return out;
  }

  /** The selected quorum queues that are {@code wanted}, by vhost and name. */
  private static List<Queue> each(Broker broker, Selection which, Predicate<Queue> wanted) {
    List<Queue> out = new ArrayList<>();
    for (VirtualHost vh : broker.vhosts()) {
      if (!which.vhosts().matcher(vh.name()).find()) {
        continue;
      }
      for (Queue q : vh.queues()) {
        if ("quorum".equals(q.type()) && q.members() != null && which.queues().matcher(q.spec().name()).find()
            && wanted.test(q)) {
          out.add(q);
        }
      }
    }
    return out;
  }
}
