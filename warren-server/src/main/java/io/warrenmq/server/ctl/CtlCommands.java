package io.warrenmq.server.ctl;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.consumer.Consumer;
import io.warrenmq.broker.exchange.Binding;
import io.warrenmq.broker.exchange.Destination;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The warrenctl commands, named and shaped like rabbitmqctl's ({@code add_user}, {@code
 * set_permissions -p VHOST USER CONF WRITE READ}, {@code list_queues name messages}, ...). Output
 * is tab-separated with a header row; {@code -q} drops the informational first line.
 */
public final class CtlCommands {
  /** The result of a command: process exit code and text to print. */
  public record Result(int exitCode, String output) {}

  private final Broker broker;
  private final Supplier<String> status;

  /** @param status the text of the status command (version, listeners, data directory), made when asked */
  public CtlCommands(Broker broker, Supplier<String> status) {
    this.broker = broker;
    this.status = status;
  }

  public Result run(List<String> argv) {
    Args a = new Args(argv);
    if (a.positional.isEmpty()) {
      return new Result(2, usage());
    }
    StringBuilder out = new StringBuilder();
    try {
      String cmd = a.positional.removeFirst();
      runCommand(cmd, a, out);
      return new Result(0, out.toString());
    } catch (AmqpException e) {
      return new Result(1, out + "Error: " + e.detail() + "\n");
    } catch (IllegalArgumentException e) {
      return new Result(e instanceof UsageException ? 2 : 1, out + "Error: " + e.getMessage() + "\n");
    }
  }

  private void runCommand(String cmd, Args a, StringBuilder out) {
    switch (cmd) {
      case "status" -> out.append(status.get()).append(String.format("connections: %d%nvhosts: %d%n",
          broker.connections().size(), broker.vhosts().size()));
      case "list_vhosts" -> {
        a.info(out, "Listing vhosts ...");
        table(out, List.of("name"), broker.vhosts(), List.of(VirtualHost::name));
      }
      case "add_vhost" -> {
        String v = a.arg(0, "add_vhost <vhost>");
        broker.addVhost(v);
        a.info(out, "Adding vhost \"" + v + "\" ...");
      }
      case "delete_vhost" -> {
        String v = a.arg(0, "delete_vhost <vhost>");
        broker.deleteVhost(v);
        a.info(out, "Deleting vhost \"" + v + "\" ...");
      }
      case "list_users" -> {
        a.info(out, "Listing users ...");
        table(out, List.of("user", "tags"), broker.users().list(),
            List.of(User::name, u -> "[" + String.join(", ", u.tags()) + "]"));
      }
      case "add_user" -> {
        String u = a.arg(0, "add_user <username> <password>");
        broker.addUser(u, a.arg(1, "add_user <username> <password>"), List.of());
        a.info(out, "Adding user \"" + u + "\" ...");
      }
      case "delete_user" -> {
        String u = a.arg(0, "delete_user <username>");
        broker.deleteUser(u);
        a.info(out, "Deleting user \"" + u + "\" ...");
      }
      case "change_password" -> {
        String u = a.arg(0, "change_password <username> <password>");
        broker.changePassword(u, a.arg(1, "change_password <username> <password>"));
        a.info(out, "Changing password for user \"" + u + "\" ...");
      }
      case "set_user_tags" -> {
        String u = a.arg(0, "set_user_tags <username> <tag> ...");
        broker.setUserTags(u, a.positional.subList(1, a.positional.size()));
        a.info(out, "Setting tags for user \"" + u + "\" to " + a.positional.subList(1, a.positional.size()) + " ...");
      }
      case "authenticate_user" -> {
        String u = a.arg(0, "authenticate_user <username> <password>");
        User user = broker.users().get(u);
        if (user == null || !user.checkPassword(a.arg(1, "authenticate_user <username> <password>"))) {
          throw new IllegalArgumentException("user '" + u + "' could not be authenticated");
        }
        out.append("Success\n");
      }
      case "set_permissions" -> {
        String usage = "set_permissions [-p <vhost>] <user> <conf> <write> <read>";
        String u = a.arg(0, usage);
        broker.setPermission(u, a.vhost, new Permission(a.arg(1, usage), a.arg(2, usage), a.arg(3, usage)));
        a.info(out, "Setting permissions for user \"" + u + "\" in vhost \"" + a.vhost + "\" ...");
      }
      case "clear_permissions" -> {
        String u = a.arg(0, "clear_permissions [-p <vhost>] <username>");
        broker.clearPermission(u, a.vhost);
        a.info(out, "Clearing permissions for user \"" + u + "\" in vhost \"" + a.vhost + "\" ...");
      }
      case "list_permissions" -> {
        a.info(out, "Listing permissions for vhost \"" + a.vhost + "\" ...");
        List<Users.Grant> grants = broker.users().grants().stream().filter(g -> g.vhost().equals(a.vhost)).toList();
        table(out, List.of("user", "configure", "write", "read"), grants,
            List.of(Users.Grant::user, g -> g.permission().configure(), g -> g.permission().write(), g -> g.permission().read()));
      }
      case "list_user_permissions" -> {
        String u = a.arg(0, "list_user_permissions <username>");
        a.info(out, "Listing permissions for user \"" + u + "\" ...");
        List<Users.Grant> grants = broker.users().grants().stream().filter(g -> g.user().equals(u)).toList();
        table(out, List.of("vhost", "configure", "write", "read"), grants,
            List.of(Users.Grant::vhost, g -> g.permission().configure(), g -> g.permission().write(), g -> g.permission().read()));
      }
      case "list_queues" -> listQueues(a, out);
      case "list_exchanges" -> listExchanges(a, out);
      case "list_bindings" -> listBindings(a, out);
      case "list_consumers" -> listConsumers(a, out);
      case "list_connections" -> {
        a.info(out, "Listing connections ...");
        table(out, List.of("name", "user", "vhost", "channels", "client"), broker.connections().list(),
            List.of(ConnectionView::name, ConnectionView::userName, ConnectionView::vhostName,
                c -> Integer.toString(c.channelCount()), ConnectionView::clientName));
      }
      case "purge_queue" -> {
        String q = a.arg(0, "purge_queue [-p <vhost>] <queue>");
        long n = vhost(a).purgeQueue(q, this);
        a.info(out, "Purging queue '" + q + "' in vhost '" + a.vhost + "' ...");
        out.append(n).append('\n');
      }
      case "delete_queue" -> {
        String q = a.arg(0, "delete_queue [-p <vhost>] <queue>");
        long n = vhost(a).deleteQueue(q, false, false, this);
        a.info(out, "Deleting queue '" + q + "' on vhost '" + a.vhost + "' ...");
        out.append("Queue was successfully deleted with ").append(n).append(" ready messages\n");
      }
      case "set_policy", "set_operator_policy" -> {
        boolean op = cmd.equals("set_operator_policy");
        String usage = cmd + " [-p <vhost>] [--priority <n>] [--apply-to <all|queues|exchanges>] <name> <pattern> <definition>";
        String name = a.arg(0, usage);
        Object def = Json.parse(a.arg(2, usage));
        if (!(def instanceof java.util.Map<?, ?> m)) {
          throw new IllegalArgumentException("the definition must be a JSON object, e.g. '{\"max-length\":100}'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> defMap = (Map<String, Object>) m;
        Policy p = new Policy(a.vhost, name, a.arg(1, usage), Policy.ApplyTo.parse(a.applyTo), a.priority,
            FieldTable.of(defMap), op);
        broker.setPolicy(p);
        a.info(out, "Setting " + (op ? "operator policy override" : "policy") + " \"" + name + "\" for pattern \"" + p.pattern()
            + "\" to \"" + a.arg(2, usage) + "\" with priority \"" + p.priority() + "\" for vhost \"" + a.vhost + "\" ...");
      }
      case "clear_policy", "clear_operator_policy" -> {
        boolean op = cmd.equals("clear_operator_policy");
        String name = a.arg(0, cmd + " [-p <vhost>] <name>");
        broker.clearPolicy(a.vhost, name, op);
        a.info(out, "Clearing " + (op ? "operator policy" : "policy") + " \"" + name + "\" on vhost \"" + a.vhost + "\" ...");
      }
      case "list_policies", "list_operator_policies" -> {
        boolean op = cmd.equals("list_operator_policies");
        a.info(out, "Listing " + (op ? "operator policy overrides" : "policies") + " for vhost \"" + a.vhost + "\" ...");
        table(out, List.of("vhost", "name", "pattern", "apply-to", "definition", "priority"),
            broker.policies().list(a.vhost, op),
            List.of(Policy::vhost, Policy::name, Policy::pattern, p -> p.applyTo().label(),
                p -> PolicyJson.of(p.definition()), p -> Integer.toString(p.priority())));
      }
      case "peek" -> {
        String usage = "peek [-p <vhost>] <queue> [<count>]";
        String q = a.arg(0, usage);
        int n = a.positional.size() > 1 ? Integer.parseInt(a.positional.get(1)) : 10;
        a.info(out, "First " + n + " messages of queue '" + q + "' in vhost '" + a.vhost + "' (not consumed) ...");
        Peek.print(vhost(a), q, n, out);
      }
      case "help" -> out.append(usage());
      default -> throw new UsageException("unknown command '" + cmd + "'\n" + usage());
    }
  }

  private VirtualHost vhost(Args a) {
    VirtualHost vh = broker.vhost(a.vhost);
    if (vh == null) {
      throw new IllegalArgumentException("vhost '" + a.vhost + "' does not exist");
    }
    return vh;
  }

  private static final Map<String, Function<Queue, String>> QUEUE_COLUMNS = Map.of(
      "name", Queue::name,
      "messages", q -> Long.toString(q.messageCount() + q.unackedCount()),
      "messages_ready", q -> Long.toString(q.messageCount()),
      "messages_unacknowledged", q -> Long.toString(q.unackedCount()),
      "consumers", q -> Integer.toString(q.consumerCount()),
      "durable", q -> Boolean.toString(q.spec().durable()),
      "auto_delete", q -> Boolean.toString(q.spec().autoDelete()),
      "exclusive", q -> Boolean.toString(q.spec().exclusive()),
      "arguments", q -> q.spec().arguments().toString());

  private void listQueues(Args a, StringBuilder out) {
    List<String> cols = a.positional.isEmpty() ? List.of("name", "messages") : a.positional;
    List<Function<Queue, String>> getters = columns(cols, QUEUE_COLUMNS);
    a.info(out, "Listing queues for vhost " + a.vhost + " ...");
    table(out, cols, vhost(a).queues(), getters);
  }

  private static final Map<String, Function<Exchange, String>> EXCHANGE_COLUMNS = Map.of(
      "name", Exchange::name,
      "type", Exchange::type,
      "durable", x -> Boolean.toString(x.spec().durable()),
      "auto_delete", x -> Boolean.toString(x.spec().autoDelete()),
      "internal", x -> Boolean.toString(x.spec().internal()),
      "arguments", x -> x.spec().arguments().toString());

  private void listExchanges(Args a, StringBuilder out) {
    List<String> cols = a.positional.isEmpty() ? List.of("name", "type") : a.positional;
    List<Function<Exchange, String>> getters = columns(cols, EXCHANGE_COLUMNS);
    a.info(out, "Listing exchanges for vhost " + a.vhost + " ...");
    table(out, cols, vhost(a).exchanges(), getters);
  }

  private static final Map<String, Function<Binding, String>> BINDING_COLUMNS = Map.of(
      "source_name", b -> b.source().name(),
      "source_kind", b -> "exchange",
      "destination_name", b -> b.destination().name(),
      "destination_kind", b -> b.destination().kind(),
      "routing_key", Binding::routingKey,
      "arguments", b -> b.arguments().toString());

  private void listBindings(Args a, StringBuilder out) {
    List<String> cols = a.positional.isEmpty()
        ? List.of("source_name", "source_kind", "destination_name", "destination_kind", "routing_key", "arguments")
        : a.positional;
    List<Function<Binding, String>> getters = columns(cols, BINDING_COLUMNS);
    a.info(out, "Listing bindings for vhost " + a.vhost + "...");
    table(out, cols, bindingsOf(vhost(a)), getters);
  }

  /** As rabbitmqctl: the default exchange's implicit binding to every queue, then the declared ones. */
  private static List<Binding> bindingsOf(VirtualHost vh) {
    List<Binding> all = new ArrayList<>();
    Exchange defaultExchange = vh.exchangeOrDie("");
    for (Queue q : vh.queues()) {
      all.add(new Binding(defaultExchange, new Destination.ToQueue(q), q.name(), FieldTable.EMPTY));
    }
    all.addAll(vh.bindings());
    return all;
  }

  private void listConsumers(Args a, StringBuilder out) {
    a.info(out, "Listing consumers in vhost " + a.vhost + " ...");
    List<Consumer> all = new ArrayList<>();
    vhost(a).queues().forEach(q -> all.addAll(q.consumers()));
    table(out, List.of("queue_name", "consumer_tag", "ack_required", "exclusive", "prefetch_count", "arguments"), all,
        List.of(c -> c.queue().name(), Consumer::tag, c -> Boolean.toString(!c.noAck()),
            c -> Boolean.toString(c.exclusive()), c -> Integer.toString(c.prefetch()), c -> c.arguments().toString()));
  }

  private static <T> List<Function<T, String>> columns(List<String> cols, Map<String, Function<T, String>> known) {
    List<Function<T, String>> out = new ArrayList<>();
    for (String c : cols) {
      Function<T, String> f = known.get(c);
      if (f == null) {
        throw new UsageException("unknown column '" + c + "'; known: " + String.join(", ", known.keySet()));
      }
      out.add(f);
    }
    return out;
  }

  private static <T> void table(StringBuilder out, List<String> header, List<T> rows, List<Function<T, String>> cols) {
    out.append(String.join("\t", header)).append('\n');
    for (T r : rows) {
      List<String> cells = new ArrayList<>();
      for (Function<T, String> c : cols) {
        cells.add(c.apply(r));
      }
      out.append(String.join("\t", cells)).append('\n');
    }
  }

  static String usage() {
    return """
        Usage: warrenctl [-p <vhost>] [-q] <command> [<args>]
        Commands:
          status
          list_vhosts | add_vhost <vhost> | delete_vhost <vhost>
          list_users | add_user <user> <password> | delete_user <user> | change_password <user> <password>
          set_user_tags <user> <tag> ... | authenticate_user <user> <password>
          set_permissions [-p <vhost>] <user> <conf> <write> <read> | clear_permissions [-p <vhost>] <user>
          list_permissions [-p <vhost>] | list_user_permissions <user>
          list_queues [-p <vhost>] [name messages messages_ready messages_unacknowledged consumers durable auto_delete exclusive arguments]
          list_exchanges [-p <vhost>] [name type durable auto_delete internal arguments]
          list_bindings [-p <vhost>] | list_consumers [-p <vhost>] | list_connections
          purge_queue [-p <vhost>] <queue> | delete_queue [-p <vhost>] <queue>
          peek [-p <vhost>] <queue> [<count>]     first messages of a queue, without consuming them
          set_policy [-p <vhost>] [--priority <n>] [--apply-to <all|queues|exchanges>] <name> <pattern> <definition-json>
          clear_policy [-p <vhost>] <name> | list_policies [-p <vhost>]
          set_operator_policy ... | clear_operator_policy ... | list_operator_policies [-p <vhost>]
        """;
  }

  /** A command line: -p VHOST, -q / --quiet, and the rest in order. */
  private static final class Args {
    final List<String> positional = new ArrayList<>();
    String vhost = "/";
    boolean quiet;
    int priority;
    String applyTo = "all";

    Args(List<String> argv) {
      for (int i = 0; i < argv.size(); i++) {
        String s = argv.get(i);
        if ((s.equals("-p") || s.equals("--vhost")) && i + 1 < argv.size()) {
          vhost = argv.get(++i);
        } else if (s.equals("-q") || s.equals("--quiet") || s.equals("-s") || s.equals("--silent")) {
          quiet = true;
        } else if (s.equals("--priority") && i + 1 < argv.size()) {
          try {
            priority = Integer.parseInt(argv.get(++i));
          } catch (NumberFormatException e) {
            throw new UsageException("--priority needs a number");
          }
        } else if (s.equals("--apply-to") && i + 1 < argv.size()) {
          applyTo = argv.get(++i);
        } else if (s.equals("--no-table-headers")) {
          quiet = true;
        } else {
          positional.add(s);
        }
      }
    }

    String arg(int i, String usage) {
      if (positional.size() <= i) {
        throw new UsageException("usage: " + usage);
      }
      return positional.get(i);
    }

    void info(StringBuilder out, String line) {
      if (!quiet) {
        out.append(line).append('\n');
      }
    }
  }

  /** A command line that does not fit the command (exit code 2). */
  private static final class UsageException extends IllegalArgumentException {
    UsageException(String m) {
      super(m);
    }
  }
}
