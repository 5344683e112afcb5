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
 * the last one. The queues are changed one after the other, each through {@link ClusterView}.
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

  private static ClusterView view(Broker broker) {
    ClusterView view = broker.clusterView();
    if (view == null) {
      throw new IllegalArgumentException("this node is not in a cluster");
    }
    return view;
  }

  private static List<Result> each(Broker broker, Selection which, Predicate<Queue> wanted, Consumer<Queue> step) {
    List<Result> out = new ArrayList<>();
    for (VirtualHost vh : broker.vhosts()) {
      if (!which.vhosts().matcher(vh.name()).find()) {
        continue;
      }
      for (Queue q : vh.queues()) {
        if (!"quorum".equals(q.type()) || q.members() == null || !which.queues().matcher(q.spec().name()).find()
            || !wanted.test(q)) {
          continue;
        }
        String error = null;
        try {
          step.accept(q);
        } catch (RuntimeException e) {
          error = String.valueOf(e.getMessage());
        }
        out.add(new Result(vh.name(), q.spec().name(), q.members().size(), error));
      }
    }
    return out;
  }
}
