package io.warrenmq.server.ctl;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.policy.Policy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Policies and operator policies: set_policy, clear_policy, list_policies and their
 * operator-policy twins, with rabbitmqctl's banners and columns (rabbit_policy:list_formatted:
 * vhost, name, pattern, apply-to, definition, priority; sorted by priority, lowest first).
 */
final class PolicyCommands implements CommandGroup {
  private final Broker broker;

  PolicyCommands(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "set_policy", "set_operator_policy" -> set(cmd, a, out);
      case "clear_policy", "clear_operator_policy" -> {
        boolean op = cmd.equals("clear_operator_policy");
        String usage = cmd + " [-p <vhost>] <name>";
        String name = a.arg(0, usage);
        a.atMost(1, usage);
        a.info(out, "Clearing " + (op ? "operator policy" : "policy") + " \"" + name + "\" on vhost \"" + a.vhost + "\" ...");
        try {
          broker.clearPolicy(a.vhost, name, op);
        } catch (AmqpException e) {
          if (e.replyCode() != ReplyCode.NOT_FOUND) {
            throw e;
          }
          // rabbit_runtime_parameters:clear_any's answer
          throw new IllegalArgumentException("Parameter does not exist", e);
        }
      }
      case "list_policies", "list_operator_policies" -> {
        boolean op = cmd.equals("list_operator_policies");
        a.atMost(0, cmd + " [-p <vhost>] [--no-table-headers]");
        a.info(out, "Listing " + (op ? "operator policy overrides" : "policies") + " for vhost \"" + a.vhost + "\" ...");
        // rabbit_policy sort_by_priority: lists:sort with "not A >= B", ascending
        List<Policy> policies = broker.policies().list(a.vhost, op).stream()
            .sorted(Comparator.comparingInt(Policy::priority).thenComparing(Policy::name)).toList();
        Table.write(out, a, List.of("vhost", "name", "pattern", "apply-to", "definition", "priority"), policies,
            List.of(Policy::vhost, Policy::name, Policy::pattern, p -> p.applyTo().label(),
                p -> PolicyJson.of(p.definition()), p -> Integer.toString(p.priority())));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private void set(String cmd, CtlArgs a, StringBuilder out) {
    boolean op = cmd.equals("set_operator_policy");
    String usage = cmd + " [-p <vhost>] [--priority <n>] [--apply-to <all|queues|exchanges>] <name> <pattern> <definition>";
    String name = a.arg(0, usage);
    Object def = Json.parse(a.arg(2, usage));
    if (!(def instanceof Map<?, ?> m)) {
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
}
