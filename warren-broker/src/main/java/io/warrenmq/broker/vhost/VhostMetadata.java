package io.warrenmq.broker.vhost;

import java.util.List;

/**
 * A vhost's metadata as RabbitMQ 3.13 keeps it (vhost:get_metadata): a description, tags and the
 * default queue type (empty when not set, RabbitMQ's {@code undefined}). Stored with the vhost in
 * the definitions log. WarrenMQ shows and exports the default queue type; declarations are not
 * changed by it.
 */
public record VhostMetadata(String description, List<String> tags, String defaultQueueType) {
  /** A vhost created without metadata. */
  public static final VhostMetadata NONE = new VhostMetadata("", List.of(), "");

  public VhostMetadata {
    tags = List.copyOf(tags);
  }
}
