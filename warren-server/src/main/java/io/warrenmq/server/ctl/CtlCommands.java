package io.warrenmq.server.ctl;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.broker.Broker;
import io.warrenmq.cluster.ClusterNode;
import org.jspecify.annotations.Nullable;
import java.util.List;
import java.util.function.Supplier;

/**
 * The warrenctl commands, named and shaped like rabbitmqctl's ({@code add_user}, {@code
 * set_permissions -p VHOST USER CONF WRITE READ}, {@code list_queues name messages}, ...), split
 * by topic into {@link CommandGroup}s. Output is tab-separated with a header row; {@code -q} drops
 * the informational first line.
 *
 * <p>Threading: thread-safe; each request parses its own arguments and calls the broker's
 * thread-safe operations.
 */
public final class CtlCommands {
  /** The result of a command: process exit code and text to print. */
  public record Result(int exitCode, String output) {}

  private final List<CommandGroup> groups;

  /** @param status the text of the status command (version, listeners, data directory), made when asked */
  public CtlCommands(Broker broker, Supplier<String> status) {
    this(broker, null, status);
  }

  /** @param cluster this node's part in a cluster, or null for a single node */
  public CtlCommands(Broker broker, @Nullable ClusterNode cluster, Supplier<String> status) {
    this.groups = List.of(new NodeCommands(broker, status), new AccessCommands(broker), new QueueCommands(broker),
        new ConnectionCommands(broker), new PolicyCommands(broker), new TraceCommands(broker), new LimitsCommands(broker),
        new DefinitionsCommands(broker), new ClusterCommands(broker, cluster),
        new QuorumMemberCommands(broker));
  }

  public Result run(List<String> argv) {
    StringBuilder out = new StringBuilder();
    try {
      CtlArgs a = new CtlArgs(argv);
      if (a.positional.isEmpty()) {
        return new Result(2, usage());
      }
      String cmd = a.positional.removeFirst();
      if (cmd.equals("help")) {
        return new Result(0, usage());
      }
      for (CommandGroup g : groups) {
        if (g.run(cmd, a, out)) {
          return new Result(0, out.toString());
        }
      }
      throw new UsageException("unknown command '" + cmd + "'\n" + usage());
    } catch (CtlError e) {
      return new Result(e.exitCode(), out + e.getMessage());
    } catch (AmqpException e) {
      return new Result(1, out + "Error: " + e.detail() + "\n");
    } catch (ValidationException e) {
      return new Result(e.exitCode(), out + "Error " + e.getMessage() + "\n");
    } catch (IllegalArgumentException e) {
      return new Result(e instanceof UsageException ? 2 : 1, out + "Error: " + e.getMessage() + "\n");
    }
  }

  /** The help text: global options and every command with its arguments, one line each. */
  static String usage() {
    return """
        Usage: warrenctl [--data-dir <dir> | --socket <path>] [-p <vhost>] [-q] [-s] <command> [<args>]

        Global options:
          --data-dir <dir>   the broker's data directory; its control socket is <dir>/warren.sock
                             (default: $WARREN_DATA_DIR, else ./data)
          --socket <path>    the control socket itself (default: $WARREN_CTL_SOCKET, else from --data-dir)
          -p, --vhost <vhost>  the vhost a command acts on (default: /)
          -q, --quiet        no informational banner line
          -s, --silent       no banner and no table header row (also: --no-table-headers)
          --help             this text

        Commands:
          status | environment | help
          set_vm_memory_high_watermark <fraction> | set_vm_memory_high_watermark absolute <bytes, e.g. 2GB>
          set_disk_free_limit <bytes, e.g. 1GB> | set_disk_free_limit mem_relative <fraction>
          list_vhosts [name description tags default_queue_type tracing cluster_state] | delete_vhost <vhost>
          add_vhost <vhost> [--description <text>] [--tags <tag1,tag2>] [--default-queue-type <classic|quorum|stream>]
          list_users | add_user <user> <password> | delete_user <user> | change_password <user> <password>
          set_user_tags <user> <tag> ... | authenticate_user <user> <password>
          set_permissions [-p <vhost>] <user> <conf> <write> <read> | clear_permissions [-p <vhost>] <user>
          list_permissions [-p <vhost>] | list_user_permissions <user>
          set_topic_permissions [-p <vhost>] <user> <exchange> <write> <read>
          clear_topic_permissions [-p <vhost>] <user> [<exchange>]
          list_topic_permissions [-p <vhost>] | list_user_topic_permissions <user>
          list_queues [-p <vhost>] [name messages messages_ready messages_unacknowledged consumers durable auto_delete exclusive arguments]
          list_exchanges [-p <vhost>] [name type durable auto_delete internal arguments]
          list_bindings [-p <vhost>] [source_name source_kind destination_name destination_kind routing_key arguments]
          list_connections [pid name port host peer_port peer_host ssl state channels protocol auth_mechanism user vhost timeout frame_max channel_max client_properties recv_oct recv_cnt send_oct send_cnt send_pend connected_at ...]
          list_channels [pid connection name number user vhost transactional confirm consumer_count messages_unacknowledged messages_uncommitted acks_uncommitted messages_unconfirmed prefetch_count global_prefetch_count]
          list_consumers [-p <vhost>] [queue_name channel_pid consumer_tag ack_required prefetch_count active activity_status arguments]
          close_connection <connection pid or name> <explanation>
          close_all_connections [-p <vhost> [--limit <n>] | --global] [--per-connection-delay <ms>] <explanation>
          purge_queue [-p <vhost>] <queue> | delete_queue [-p <vhost>] <queue>
          trace_on [-p <vhost>] | trace_off [-p <vhost>]   the firehose: copies to amq.rabbitmq.trace
          peek [-p <vhost>] <queue> [<count>]     first messages of a queue, without consuming them
          set_policy [-p <vhost>] [--priority <n>] [--apply-to <all|queues|exchanges>] <name> <pattern> <definition-json>
          clear_policy [-p <vhost>] <name> | list_policies [-p <vhost>]
          set_operator_policy [-p <vhost>] [--priority <n>] [--apply-to <all|queues|exchanges>] <name> <pattern> <definition-json>
          clear_operator_policy [-p <vhost>] <name> | list_operator_policies [-p <vhost>]
          set_vhost_limits [-p <vhost>] <definition-json, e.g. '{"max-connections": 10, "max-queues": 100}'>
          clear_vhost_limits [-p <vhost>] | list_vhost_limits [-p <vhost>] [--global]
          set_user_limits <user> <definition-json, e.g. '{"max-connections": 5, "max-channels": 20}'>
          clear_user_limits <user> <max-connections|max-channels|all> | list_user_limits [--user <user> | --global]
          export_definitions <file | -> | import_definitions [<file> | -]   RabbitMQ's definitions JSON
          cluster_status | await_online_nodes <count> [--timeout <s>] | queue_leader [-p <vhost>] <queue>
          join_cluster [<node>] | forget_cluster_node <node>   membership of the cluster (docs/clustering.md)
          list_feature_flags [name state provided_by desc stability] | enable_feature_flag <name | all>
        """;
  }
}
