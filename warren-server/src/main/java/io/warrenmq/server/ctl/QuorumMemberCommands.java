package io.warrenmq.server.ctl;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ClusterView;
import io.warrenmq.broker.view.QuorumReplicas;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.cluster.quorum.QuorumGroups;
import io.warrenmq.cluster.quorum.QuorumQueue;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The members of quorum queues, as {@code rabbitmq-queues} changes them: {@code add_member} and
 * {@code delete_member} of one queue, {@code grow} (a member on a node for every matching queue,
 * or for those with an even number of members) and {@code shrink} (a node's members removed from
 * every queue it is a member of but the last), {@code rebalance} (the leaders spread over the
 * running nodes: a row per node and how many it leads). grow and shrink print a row per queue: vhost,
 * name, members after, result; both take {@code --vhost-pattern} and {@code --queue-pattern}
 * (RabbitMQ's shrink does not).
 */
final class QuorumMemberCommands implements CommandGroup {
  private static final List<String> COLUMNS = List.of("vhost", "name", "size", "result");

  private final Broker broker;

  QuorumMemberCommands(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "add_member" -> member(a, out, true);
      case "delete_member" -> member(a, out, false);
      case "grow" -> {
        String usage = "grow <node> <all | even> [--vhost-pattern <pattern>] [--queue-pattern <pattern>] [--errors-only]";
        a.atMost(2, usage);
        String node = a.arg(0, usage);
        String strategy = a.arg(1, usage);
        if (!strategy.equals("all") && !strategy.equals("even")) {
          throw new UsageException("strategy '" + strategy + "' is not recognised.");
        }
        a.info(out, "Growing " + strategy + " quorum queues on " + node + "...");
        view();
        table(a, out, QuorumReplicas.grow(broker, node, strategy.equals("even"), selection(a)));
      }
      case "shrink" -> {
        // --vhost-pattern and --queue-pattern are WarrenMQ's (RabbitMQ's shrink takes every queue)
        String usage = "shrink <node> [--vhost-pattern <pattern>] [--queue-pattern <pattern>] [--errors-only]";
        a.atMost(1, usage);
        String node = a.arg(0, usage);
        a.info(out, "Shrinking quorum queues on " + node + "...");
        view();
        table(a, out, QuorumReplicas.shrink(broker, node, selection(a)));
      }
      case "rebalance" -> {
        String usage = "rebalance <all | classic | quorum> [--vhost-pattern <pattern>] [--queue-pattern <pattern>]";
        a.atMost(1, usage);
        String type = a.arg(0, usage);
        switch (type) {
          case "all" -> a.info(out, "Re-balancing leaders of all replicated queues...");
          case "quorum" -> a.info(out, "Re-balancing leaders of quorum queues...");
          // WarrenMQ has no replicated classic queues: there is nothing to move
          case "classic" -> a.info(out, "Re-balancing leaders of replicated (mirrored, non-exclusive) classic queues...");
          default -> throw CtlError.error("type " + type + " is not supported. Try one of all, classic, quorum.");
        }
        view();
        QuorumReplicas.Selection which = type.equals("classic")
            ? new QuorumReplicas.Selection(Pattern.compile("(?!)"), Pattern.compile("(?!)")) : selection(a);
        Table.write(out, a, List.of("Node name", "Number of quorum queues"), QuorumReplicas.rebalance(broker, which),
            List.of(QuorumReplicas.Leaders::node, l -> Integer.toString(l.queues())));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** add_member or delete_member of one queue. */
  private void member(CtlArgs a, StringBuilder out, boolean add) {
    String usage = (add ? "add_member" : "delete_member") + " [-p <vhost>] <queue> <node>";
    a.atMost(2, usage);
    String name = a.arg(0, usage);
    String node = a.arg(1, usage);
    a.info(out, (add ? "Adding" : "Removing") + " a replica for queue " + name + " on node " + node + "...");
    QuorumQueue q = quorumQueue(broker, a.vhost, name);
    if (add) {
      view().addQueueMember(q, node);
    } else {
      view().deleteQueueMember(q, node);
    }
  }

  private ClusterView view() {
    ClusterView v = broker.clusterView();
    if (v == null) {
      throw CtlError.error("this node was started without cluster peers (docs/clustering.md)");
    }
    return v;
  }

  private static QuorumReplicas.Selection selection(CtlArgs a) {
    return new QuorumReplicas.Selection(pattern("--vhost-pattern", a.vhostPattern),
        pattern("--queue-pattern", a.queuePattern));
  }

  private static void table(CtlArgs a, StringBuilder out, List<QuorumReplicas.Result> rows) {
    List<QuorumReplicas.Result> shown = a.errorsOnly ? rows.stream().filter(r -> r.error() != null).toList() : rows;
    Table.write(out, a, COLUMNS, shown, List.of(QuorumReplicas.Result::vhost, QuorumReplicas.Result::name,
        r -> Integer.toString(r.size()), r -> r.error() == null ? "ok" : "error: " + r.error()));
  }

  private static Pattern pattern(String option, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new UsageException(option + " '" + regex + "' is not a regular expression: " + e.getDescription());
    }
  }

  /** The quorum queue so named, or an error that says it is none. */
  static QuorumQueue quorumQueue(Broker broker, String vhost, String name) {
    VirtualHost vh = broker.vhost(vhost);
    Queue q = vh == null ? null : vh.queue(name);
    QuorumQueue quorum = q == null ? null : QuorumGroups.of(q);
    if (quorum == null) {
      throw CtlError.error("queue '" + name + "' in vhost '" + vhost + "' is not a quorum queue");
    }
    return quorum;
  }
}
