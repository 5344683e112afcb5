package io.warrenmq.server.ctl;

import io.warrenmq.broker.Broker;

/**
 * The firehose: {@code trace_on [-p vhost]} and {@code trace_off [-p vhost]}, with rabbitmqctl
 * 3.13's banners and answers (trace_on_command.ex, trace_off_command.ex). Tracing lasts until the
 * broker stops, as in RabbitMQ.
 */
final class TraceCommands implements CommandGroup {
  private final Broker broker;

  TraceCommands(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "trace_on" -> {
        a.info(out, "Starting tracing for vhost \"" + a.vhost + "\" ...");
        broker.setTracing(a.vhost, true);
        out.append("Trace enabled for vhost ").append(a.vhost).append('\n');
      }
      case "trace_off" -> {
        a.info(out, "Stopping tracing for vhost \"" + a.vhost + "\" ...");
        broker.setTracing(a.vhost, false);
        out.append("Trace disabled for vhost ").append(a.vhost).append('\n');
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
