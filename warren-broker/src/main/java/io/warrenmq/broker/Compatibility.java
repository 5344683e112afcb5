package io.warrenmq.broker;

/**
 * The RabbitMQ release WarrenMQ behaves like where RabbitMQ releases differ (unknown exchange
 * types, x-death, delivery limits, ...; docs/protocol.md, "Which RabbitMQ WarrenMQ follows"), and
 * the version it announces as RabbitMQ's: the {@code version} server property of
 * connection.start and the management API's {@code rabbitmq_version}, so that clients and their
 * test suites that gate behaviour on the server version take that release's paths. WarrenMQ's own
 * version goes out beside it, never in its place.
 */
public final class Compatibility {
  /** The RabbitMQ release followed: 3.13.7, the last of 3.13. */
  public static final String RABBITMQ_VERSION = "3.13.7";

  private Compatibility() {}
}
