package io.warrenmq.server.ctl;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A warrenctl command line as the broker receives it: rabbitmqctl's switches ({@code -p VHOST},
 * {@code -q}, {@code -s}, {@code --[no-]table-headers}, {@code --priority}, {@code --apply-to},
 * {@code --global}, {@code --limit}, {@code --per-connection-delay}, add_vhost's {@code --description},
 * {@code --tags}, {@code --default-queue-type}, {@code --user}) wherever they appear, and the
 * positional arguments in order (the command first, removed by the dispatcher).
 *
 * <p>Not thread-safe: one per request.
 */
final class CtlArgs {
  /** The whole command line, for "Arguments given" in validation errors. */
  final List<String> argv;
  final List<String> positional = new ArrayList<>();
  String vhost = "/";
  /** -q: no informational banner. */
  boolean quiet;
  /** --table-headers / --no-table-headers (-s: false); null if not given: the command's default. */
  @Nullable Boolean tableHeaders;
  int priority;
  String applyTo = "all";
  boolean global;
  int limit;
  long perConnectionDelayMs;
  /** -t, --timeout: seconds a waiting command waits (await_online_nodes); -1 if not given. */
  long timeoutSeconds = -1;
  /** add_vhost --description, --tags, --default-queue-type. */
  @Nullable String description;
  @Nullable String tags;
  @Nullable String defaultQueueType;
  /** list_user_limits --user. */
  @Nullable String user;
  /** grow and shrink: --vhost-pattern, --queue-pattern (regular expressions), --errors-only. */
  String vhostPattern = ".*";
  String queuePattern = ".*";
  boolean errorsOnly;
  /** import_definitions: the document warrenctl read from the file or standard input. */
  @Nullable String payload;

  CtlArgs(List<String> argv) {
    // a definitions document is no argument anyone needs to see again in an error message
    this.argv = argv.stream().map(a -> a.length() > 200 ? a.substring(0, 200) + "..." : a).toList();
    for (int i = 0; i < argv.size(); i++) {
      String s = argv.get(i);
      boolean hasValue = i + 1 < argv.size();
      switch (s) {
        case "-p", "--vhost" -> {
          if (!hasValue) {
            throw new UsageException(s + " needs a vhost");
          }
          vhost = argv.get(++i);
        }
        case "-q", "--quiet" -> quiet = true;
        case "-s", "--silent" -> {
          quiet = true;
          tableHeaders = false;
        }
        case "--no-table-headers" -> tableHeaders = false;
        case "--table-headers" -> tableHeaders = true;
        case "--global" -> global = true;
        case "--errors-only" -> errorsOnly = true;
        case "--priority" -> priority = (int) number(s, hasValue ? argv.get(++i) : null);
        case "--limit" -> limit = (int) number(s, hasValue ? argv.get(++i) : null);
        case "--per-connection-delay" -> perConnectionDelayMs = number(s, hasValue ? argv.get(++i) : null);
        case "-t", "--timeout" -> timeoutSeconds = number(s, hasValue ? argv.get(++i) : null);
        case "--description", "--tags", "--default-queue-type", "--user", "--payload", "--vhost-pattern",
            "--queue-pattern" -> {
          if (!hasValue) {
            throw new UsageException(s + " needs a value");
          }
          String v = argv.get(++i);
          switch (s) {
            case "--description" -> description = v;
            case "--tags" -> tags = v;
            case "--default-queue-type" -> defaultQueueType = v;
            case "--user" -> user = v;
            case "--vhost-pattern" -> vhostPattern = v;
            case "--queue-pattern" -> queuePattern = v;
            default -> payload = v;
          }
        }
        case "--apply-to" -> {
          if (!hasValue) {
            throw new UsageException("--apply-to needs one of all, queues, exchanges");
          }
          applyTo = argv.get(++i);
        }
        default -> positional.add(s);
      }
    }
  }

  /** Whether a table gets its header row: as asked, else {@code byDefault}. */
  boolean headers(boolean byDefault) {
    Boolean h = tableHeaders;
    return h == null ? byDefault : h;
  }

  private static long number(String option, @Nullable String value) {
    try {
      if (value == null) {
        throw new NumberFormatException();
      }
      long n = Long.parseLong(value);
      if (n < 0 && !option.equals("--priority")) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a number");
    }
  }

  /** Positional argument {@code i} (after the command), or a usage error naming the usage. */
  String arg(int i, String usage) {
    if (positional.size() <= i) {
      throw new UsageException("usage: " + usage);
    }
    return positional.get(i);
  }

  /** Fails with rabbitmqctl's "too many arguments." if more than {@code max} positionals were given. */
  void atMost(int max, String usage) {
    if (positional.size() > max) {
      throw ValidationException.tooManyArgs(this, usage);
    }
  }

  /** The informational banner (dropped by -q), as rabbitmqctl prints it before the output. */
  void info(StringBuilder out, String line) {
    if (!quiet) {
      out.append(line).append('\n');
    }
  }
}
