package io.warrenmq.server.ctl;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.ResourceLimits;
import io.warrenmq.broker.ResourceLimits.DiskFreeLimit;
import io.warrenmq.broker.ResourceLimits.MemoryWatermark;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Supplier;

/**
 * The node: status, environment, and the resource thresholds set_vm_memory_high_watermark and
 * set_disk_free_limit, validated with rabbitmqctl 3.13's rules and texts
 * (set_vm_memory_high_watermark_command.ex, set_disk_free_limit_command.ex). The thresholds live
 * in the broker's {@link ResourceLimits}, for this run only, as in RabbitMQ.
 */
final class NodeCommands implements CommandGroup {
  private static final String WATERMARK_USAGE = "set_vm_memory_high_watermark <fraction> | absolute <value>";
  private static final String DISK_USAGE = "set_disk_free_limit <disk_limit> | mem_relative <fraction>";

  private final Broker broker;
  private final Supplier<String> status;

  NodeCommands(Broker broker, Supplier<String> status) {
    this.broker = broker;
    this.status = status;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "status" -> {
        a.info(out, "Status of node " + broker.pids().node() + " ...");
        out.append(status.get()).append(String.format("connections: %d%nvhosts: %d%n",
            broker.connections().size(), broker.vhosts().size()));
        limits(out);
      }
      case "environment" -> {
        a.info(out, "Application environment of node " + broker.pids().node() + " ...");
        environment(out);
      }
      case "set_vm_memory_high_watermark" -> setWatermark(a, out);
      case "set_disk_free_limit" -> setDiskFreeLimit(a, out);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** rabbitmqctl status's Memory and Free Disk Space sections, in gigabytes. */
  private void limits(StringBuilder out) {
    ResourceLimits l = broker.resourceLimits();
    String setting = switch (l.memoryHighWatermark()) {
      case MemoryWatermark.Relative r -> ErlangTerms.erlangFloat(r.fraction()) + " of available memory";
      case MemoryWatermark.Absolute abs -> InformationUnits.gb(abs.bytes()) + " gb";
    };
    var alarms = broker.alarms();
    out.append("\nAlarms\n\n");
    if (alarms.active().isEmpty()) {
      out.append("(none)\n");
    }
    // rabbitmqctl status (RabbitMQ.CLI.Core.Alarms.alarm_lines)
    for (var r : alarms.active()) {
      out.append(switch (r) {
        case MEMORY -> "Memory alarm on node ";
        case DISK -> "Free disk space alarm on node ";
      }).append(broker.pids().node()).append('\n');
    }
    out.append("\nMemory\n\n")
        .append("Total memory used: ").append(InformationUnits.gb(alarms.memoryUsed())).append(" gb\n")
        .append("Memory high watermark setting: ").append(setting)
        .append(", computed to: ").append(InformationUnits.gb(l.memoryLimitBytes())).append(" gb\n")
        .append("\nFree Disk Space\n\n")
        .append("Low free disk space watermark: ").append(InformationUnits.gb(l.diskFreeLimitBytes())).append(" gb\n")
        .append("Free disk space: ").append(freeDisk()).append('\n');
  }

  private String freeDisk() {
    try {
      return InformationUnits.gb(Files.getFileStore(broker.options().dataDir()).getUsableSpace()) + " gb";
    } catch (IOException e) {
      return "(not available)";
    }
  }

  /**
   * The settings rabbitmqctl environment shows for the rabbit application, as Erlang terms (keys
   * sorted). The thresholds are the current ones, set_* included.
   */
  private void environment(StringBuilder out) {
    ResourceLimits l = broker.resourceLimits();
    String watermark = switch (l.memoryHighWatermark()) {
      case MemoryWatermark.Relative r -> ErlangTerms.erlangFloat(r.fraction());
      case MemoryWatermark.Absolute abs -> "{absolute," + abs.bytes() + "}";
    };
    String disk = switch (l.diskFreeLimit()) {
      case DiskFreeLimit.Absolute abs -> Long.toString(abs.bytes());
      case DiskFreeLimit.MemRelative r -> "{mem_relative," + ErlangTerms.erlangFloat(r.fraction()) + "}";
    };
    var o = broker.options();
    out.append("[{rabbit,[{default_user,<<\"").append(o.defaultUser()).append("\">>},\n")
        .append("          {default_vhost,<<\"").append(o.defaultVhost()).append("\">>},\n")
        .append("          {disk_free_limit,").append(disk).append("},\n")
        .append("          {loopback_users,[")
        .append(String.join(",", o.loopbackUsers().stream().sorted().map(u -> "<<\"" + u + "\">>").toList()))
        .append("]},\n")
        .append("          {vm_memory_high_watermark,").append(watermark).append("}]}]\n");
  }

  private void setWatermark(CtlArgs a, StringBuilder out) {
    var p = a.positional;
    String node = broker.pids().node();
    if (p.isEmpty() || (p.size() == 1 && p.getFirst().equals("absolute"))) {
      throw ValidationException.notEnoughArgs(a, WATERMARK_USAGE);
    }
    if (p.getFirst().equals("absolute")) {
      a.atMost(2, WATERMARK_USAGE);
      String arg = p.get(1);
      InformationUnits.Parsed<Long> n = InformationUnits.parseInteger(arg);
      if (n == null) {
        throw ValidationException.badArgument(a, WATERMARK_USAGE, null);
      }
      if (!InformationUnits.isMemoryUnit(n.rest())) {
        InformationUnits.Parsed<Double> f = InformationUnits.parseFloat(arg);
        throw ValidationException.badArgument(a, WATERMARK_USAGE, f != null && f.rest().equals(n.rest())
            ? "Invalid units." : "The threshold should be an integer.");
      }
      Long bytes = InformationUnits.bytes(n.value(), n.rest());
      if (bytes == null || bytes <= 0) {
        throw ValidationException.badArgument(a, WATERMARK_USAGE, null);
      }
      a.info(out, "Setting memory threshold on " + node + " to " + arg + " bytes ...");
      broker.resourceLimits().setMemoryHighWatermark(new MemoryWatermark.Absolute(bytes));
      return;
    }
    a.atMost(1, WATERMARK_USAGE);
    String arg = p.getFirst();
    InformationUnits.Parsed<Double> f = InformationUnits.parseFloat(arg);
    if (f == null || !f.rest().isEmpty()) {
      throw ValidationException.badArgument(a, WATERMARK_USAGE, null);
    }
    if (f.value() < 0.0 || f.value() > 1.0) {
      throw ValidationException.badArgument(a, WATERMARK_USAGE, "The threshold should be a fraction between 0.0 and 1.0");
    }
    a.info(out, "Setting memory threshold on " + node + " to " + arg + " ...");
    broker.resourceLimits().setMemoryHighWatermark(new MemoryWatermark.Relative(f.value()));
  }

  private void setDiskFreeLimit(CtlArgs a, StringBuilder out) {
    var p = a.positional;
    String node = broker.pids().node();
    if (p.isEmpty() || (p.size() == 1 && p.getFirst().equals("mem_relative"))) {
      throw ValidationException.notEnoughArgs(a, DISK_USAGE);
    }
    if (p.getFirst().equals("mem_relative")) {
      a.atMost(2, DISK_USAGE);
      InformationUnits.Parsed<Double> f = InformationUnits.parseFloat(p.get(1));
      if (f == null || !f.rest().isEmpty() || f.value() < 0.0) {
        throw ValidationException.badArgument(a, DISK_USAGE, null);
      }
      a.info(out, "Setting disk free limit on " + node + " to " + p.get(1) + " times the total RAM ...");
      broker.resourceLimits().setDiskFreeLimit(new DiskFreeLimit.MemRelative(f.value()));
      return;
    }
    a.atMost(1, DISK_USAGE);
    String arg = p.getFirst();
    InformationUnits.Parsed<Long> n = InformationUnits.parseInteger(arg);
    Long bytes = n == null ? null : n.rest().isEmpty() ? n.value() : InformationUnits.bytes(n.value(), n.rest());
    if (bytes == null) {
      throw ValidationException.badArgument(a, DISK_USAGE, null);
    }
    a.info(out, "Setting disk free limit on " + node + " to " + arg + " bytes ...");
    broker.resourceLimits().setDiskFreeLimit(new DiskFreeLimit.Absolute(bytes));
  }
}
