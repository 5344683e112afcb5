package io.warrenmq.broker;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.term.ErlangTerm;
import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.broker.vhost.VhostMetadata;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The vhost metadata rules: default queue types RabbitMQ knows, and the definitions record. */
final class BrokerVhosts {
  /** rabbit_queue_type:discover: the short names and the modules. */
  private static final Set<String> QUEUE_TYPES = Set.of("classic", "quorum", "stream", "rabbit_classic_queue",
      "rabbit_quorum_queue", "rabbit_stream_queue");

  private BrokerVhosts() {}

  /** The default queue type asked for, or null when none is ("", "undefined" or absent). */
  static @Nullable String queueType(@Nullable String dqt) {
    if (dqt == null || dqt.isEmpty() || dqt.equals("undefined")) {
      return null;
    }
    checkQueueType(dqt);
    return dqt;
  }

  /**
   * A queue type RabbitMQ does not know is refused with {@code {invalid_queue_type, Type}} (the
   * term rabbit_vhost:do_add throws; RabbitMQ's API then answers 500, WarrenMQ's 400).
   */
  static void checkQueueType(String dqt) {
    if (!dqt.isEmpty() && !QUEUE_TYPES.contains(dqt)) {
      throw new ValidationError(ErlangTerm.tuple(ErlangTerm.atom("invalid_queue_type"), ErlangTerm.bin(dqt)),
          "invalid default queue type '" + dqt + "': expected classic, quorum or stream");
    }
  }

  static FieldTable record(String name, VhostMetadata m) {
    return Records.vhost(name, m.description(), m.tags(), m.defaultQueueType());
  }

  /** The metadata of a stored vhost record (none in a record written before metadata existed). */
  static VhostMetadata metadata(FieldTable r) {
    String d = r.getString("description");
    List<Object> tags = r.getArray("tags");
    String q = r.getString("defaultQueueType");
    return new VhostMetadata(d == null ? "" : d, tags == null ? List.of() : tags.stream().map(String::valueOf).toList(),
        q == null ? "" : q);
  }
}
