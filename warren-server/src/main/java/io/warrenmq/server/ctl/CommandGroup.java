package io.warrenmq.server.ctl;

/** The warrenctl commands of one topic (access control, queues, connections, ...). */
interface CommandGroup {
  /**
   * Runs {@code cmd} if it is one of this group's, appending its output; returns false if it is
   * not. Errors are thrown: {@link io.warrenmq.amqp.AmqpException} or IllegalArgumentException
   * (exit code 1), {@link UsageException} (exit code 2).
   */
  boolean run(String cmd, CtlArgs a, StringBuilder out);
}
