package io.warrenmq.server.ctl;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.parameter.RuntimeParameters.Parameter;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Vhost and user limits: set_vhost_limits, clear_vhost_limits, list_vhost_limits,
 * set_user_limits, clear_user_limits, list_user_limits, with rabbitmqctl 3.13's arguments (a JSON
 * document), banners, listings (the limits as JSON, {@code --global} as a table) and errors
 * ("Error:" and RabbitMQ's reason, exit code 69; "Virtual host 'x' does not exist", 65).
 */
final class LimitsCommands implements CommandGroup {
  private final Broker broker;

  LimitsCommands(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "set_vhost_limits" -> {
        String usage = "set_vhost_limits [--vhost <vhost>] <definition>";
        String def = a.arg(0, usage);
        a.atMost(1, usage);
        a.info(out, "Setting vhost limits to \"" + def + "\" for vhost \"" + a.vhost + "\" ...");
        requireVhost(a.vhost);
        guarded(() -> broker.parameterAdmin().setVhostLimits(a.vhost, json(def)));
      }
      case "clear_vhost_limits" -> {
        a.atMost(0, "clear_vhost_limits [--vhost <vhost>]");
        a.info(out, "Clearing vhost \"" + a.vhost + "\" limits ...");
        requireVhost(a.vhost);
        guarded(() -> broker.parameterAdmin().clearVhostLimits(a.vhost));
      }
      case "list_vhost_limits" -> {
        a.atMost(0, "list_vhost_limits [--vhost <vhost>] [--global] [--no-table-headers]");
        if (a.global) {
          a.info(out, "Listing limits for all vhosts ...");
          List<Parameter> all = broker.vhosts().stream().map(v -> limits(v.name())).filter(p -> p != null).toList();
          Table.write(out, a, List.of("vhost", "limits"), all, List.of(Parameter::vhost, p -> jsonText(p.value())));
        } else {
          a.info(out, "Listing limits for vhost \"" + a.vhost + "\" ...");
          Parameter p = limits(a.vhost);
          out.append(p == null ? "" : jsonText(p.value())).append('\n');
        }
      }
      default -> {
        return users(cmd, a, out);
      }
    }
    return true;
  }

  private boolean users(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "set_user_limits" -> {
        String usage = "set_user_limits <username> <definition>";
        String user = a.arg(0, usage);
        String def = a.arg(1, usage);
        a.atMost(2, usage);
        a.info(out, "Setting user limits to \"" + def + "\" for user \"" + user + "\" ...");
        requireUser(user);
        guarded(() -> broker.userAdmin().setLimits(user, json(def)));
      }
      case "clear_user_limits" -> {
        String usage = "clear_user_limits <username> <limit_type> | all";
        String user = a.arg(0, usage);
        String limit = a.arg(1, usage);
        a.atMost(2, usage);
        a.info(out, limit.equals("all") ? "Clearing all limits for user \"" + user + "\" ..."
            : "Clearing \"" + limit + "\" limit for user \"" + user + "\" ...");
        requireUser(user);
        broker.userAdmin().clearLimits(user, limit);
      }
      case "list_user_limits" -> {
        a.atMost(0, "list_user_limits [--user <username>] [--global]");
        if (a.global) {
          a.info(out, "Listing limits for all users ...");
          List<User> limited = broker.users().list().stream().filter(u -> !u.limits().isEmpty()).toList();
          Table.write(out, a, List.of("user", "limits"), limited, List.of(User::name, u -> jsonText(u.limits().values())));
        } else {
          // rabbitmqctl's default user is guest
          String user = a.user == null ? "guest" : a.user;
          a.info(out, "Listing limits for user \"" + user + "\" ...");
          out.append(jsonText(requireUser(user).limits().values())).append('\n');
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private @Nullable Parameter limits(String vhost) {
    return broker.runtimeParameters().get(vhost, "vhost-limits", "limits");
  }

  /** rabbit_vhost_limit:parse_set's answer to a document that is not JSON. */
  private static @Nullable Object json(String text) {
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw CtlError.error("Could not parse JSON document: " + e.getMessage());
    }
  }

  private static void guarded(Runnable r) {
    try {
      r.run();
    } catch (ValidationError e) {
      throw CtlError.error(e.getMessage());
    }
  }

  private VirtualHost requireVhost(String vhost) {
    VirtualHost vh = broker.vhost(vhost);
    if (vh == null) {
      throw CtlError.dataError("Virtual host '" + vhost + "' does not exist");
    }
    return vh;
  }

  private User requireUser(String user) {
    User u = broker.users().get(user);
    if (u == null) {
      throw CtlError.error("{:no_such_user, \"" + user + "\"}");
    }
    return u;
  }

  /** The limits as rabbitmqctl prints them: compact JSON, keys sorted. */
  @SuppressWarnings("unchecked")
  private static String jsonText(@Nullable Object v) {
    return v instanceof Map<?, ?> m ? PolicyJson.of(FieldTable.of((Map<String, Object>) m)) : String.valueOf(v);
  }
}
