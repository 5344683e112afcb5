package io.warrenmq.server.ctl;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.TopicPermissions;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.UserUpdate;
import io.warrenmq.broker.vhost.VhostMetadata;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.List;

/**
 * Vhosts, users, permissions and topic permissions: rabbitmqctl's add_vhost ... list_permissions,
 * and set_topic_permissions, clear_topic_permissions, list_topic_permissions,
 * list_user_topic_permissions with their banners and columns (rabbitmq_cli ctl commands 3.13).
 */
final class AccessCommands implements CommandGroup {
  private final Broker broker;
  /** rabbitmqctl list_vhosts' info items (vhost:info_keys, as its table formatter prints them). */
  private final Table.Items<VirtualHost> vhostItems;

  AccessCommands(Broker broker) {
    this.broker = broker;
    this.vhostItems = new Table.Items<VirtualHost>()
        .add("name", VirtualHost::name)
        .add("description", v -> v.metadata().description())
        .add("tags", v -> v.metadata().tags().isEmpty() ? "[]" : String.join(",", v.metadata().tags()))
        .add("default_queue_type", v -> v.metadata().defaultQueueType().isEmpty() ? "undefined"
            : v.metadata().defaultQueueType())
        .add("tracing", v -> Boolean.toString(v.firehose().enabled()))
        .add("cluster_state", v -> "[{" + broker.pids().node() + ", running}]");
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "list_vhosts" -> vhostItems.write(out, a, "Listing vhosts ...", a.positional, List.of("name"),
          broker::vhosts);
      case "add_vhost" -> {
        String v = a.arg(0, "add_vhost <vhost> [--description <description>] [--tags <tag1,tag2>] "
            + "[--default-queue-type <quorum|classic|stream>]");
        a.info(out, "Adding vhost \"" + v + "\" ...");
        broker.addVhost(v, new VhostMetadata(a.description == null ? "" : a.description,
            a.tags == null ? List.of() : UserUpdate.tagList(a.tags),
            a.defaultQueueType == null ? "" : a.defaultQueueType));
      }
      case "delete_vhost" -> {
        String v = a.arg(0, "delete_vhost <vhost>");
        broker.deleteVhost(v);
        a.info(out, "Deleting vhost \"" + v + "\" ...");
      }
      case "list_users" -> {
        a.info(out, "Listing users ...");
        Table.write(out, a, List.of("user", "tags"), broker.users().list(),
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
      default -> {
        return permissions(cmd, a, out) || topicPermissions(cmd, a, out);
      }
    }
    return true;
  }

  private boolean permissions(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
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
        Table.write(out, a, List.of("user", "configure", "write", "read"), grants,
            List.of(Users.Grant::user, g -> g.permission().configure(), g -> g.permission().write(), g -> g.permission().read()));
      }
      case "list_user_permissions" -> {
        String u = a.arg(0, "list_user_permissions <username>");
        a.info(out, "Listing permissions for user \"" + u + "\" ...");
        List<Users.Grant> grants = broker.users().grants().stream().filter(g -> g.user().equals(u)).toList();
        Table.write(out, a, List.of("vhost", "configure", "write", "read"), grants,
            List.of(Users.Grant::vhost, g -> g.permission().configure(), g -> g.permission().write(), g -> g.permission().read()));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private boolean topicPermissions(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "set_topic_permissions" -> {
        String usage = "set_topic_permissions [-p <vhost>] <username> <exchange> <write> <read>";
        if (a.positional.size() < 4) {
          throw ValidationException.notEnoughArgs(a, usage);
        }
        a.atMost(4, usage);
        String u = a.positional.get(0);
        String x = a.positional.get(1);
        a.info(out, "Setting topic permissions on \"" + x + "\" for user \"" + u + "\" in vhost \"" + a.vhost + "\" ...");
        broker.setTopicPermission(u, a.vhost, x, a.positional.get(2), a.positional.get(3));
      }
      case "clear_topic_permissions" -> {
        String usage = "clear_topic_permissions [-p <vhost>] <username> [<exchange>]";
        if (a.positional.isEmpty()) {
          throw ValidationException.notEnoughArgs(a, usage);
        }
        a.atMost(2, usage);
        String u = a.positional.get(0);
        String x = a.positional.size() > 1 ? a.positional.get(1) : null;
        a.info(out, x == null
            ? "Clearing topic permissions for user \"" + u + "\" in vhost \"" + a.vhost + "\" ..."
            : "Clearing topic permissions on \"" + x + "\" for user \"" + u + "\" in vhost \"" + a.vhost + "\" ...");
        broker.clearTopicPermissions(u, a.vhost, x);
      }
      case "list_topic_permissions" -> {
        a.atMost(0, "list_topic_permissions [-p <vhost>] [--no-table-headers]");
        a.info(out, "Listing topic permissions for vhost \"" + a.vhost + "\" ...");
        List<TopicPermissions.Grant> grants = broker.users().topicPermissions().grants().stream()
            .filter(g -> g.vhost().equals(a.vhost)).toList();
        Table.write(out, a, List.of("user", "exchange", "write", "read"), grants,
            List.of(TopicPermissions.Grant::user, g -> g.permission().exchange(), g -> g.permission().write(),
                g -> g.permission().read()));
      }
      case "list_user_topic_permissions" -> {
        String usage = "list_user_topic_permissions [--no-table-headers] <username>";
        String u = a.arg(0, usage);
        a.atMost(1, usage);
        a.info(out, "Listing topic permissions for user \"" + u + "\" ...");
        List<TopicPermissions.Grant> grants = broker.users().topicPermissions().grants().stream()
            .filter(g -> g.user().equals(u)).toList();
        // rabbitmqctl prints this one without headers unless asked (merge_defaults: table_headers false)
        Table.write(out, a.headers(false), List.of("vhost", "exchange", "write", "read"), grants,
            List.of(TopicPermissions.Grant::vhost, g -> g.permission().exchange(), g -> g.permission().write(),
                g -> g.permission().read()));
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
