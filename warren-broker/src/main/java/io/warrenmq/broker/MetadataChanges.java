package io.warrenmq.broker;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.DefinitionModel;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How changes of the access metadata are made: applied here at once on a single node, or handed to
 * the cluster's metadata log ({@link MetadataReplication}), which applies them on every node in log
 * order through {@link #applyReplicated}. Also what the definitions log holds for the cluster: the
 * last log entry applied here and the cluster module's own records.
 *
 * <p>Threading: thread-safe; a local change holds the broker's monitor, replicated ones are applied
 * on the log's one apply thread.
 */
public final class MetadataChanges {
  private final Broker broker;
  private final MetadataApplier applier;
  private volatile @Nullable MetadataReplication replication;
  private volatile long replicatedIndex;
  private List<FieldTable> clusterRecords = List.of();

  MetadataChanges(Broker broker) {
    this.broker = broker;
    this.applier = new MetadataApplier(broker);
  }

  /** At start: what the definitions log says of the cluster. */
  void recovered(DefinitionModel model) {
    replicatedIndex = model.replicatedIndex();
    clusterRecords = model.clusterRecords();
  }

  /**
   * Makes the access metadata replicated: from now on every change goes to {@code r}, which applies
   * it on every node ({@link #applyReplicated}) before it returns here.
   */
  public void replicateWith(MetadataReplication r) {
    replication = r;
    for (VirtualHost vh : broker.vhosts()) {
      replicateTopology(vh);
    }
  }

  /** Whether changes go through a cluster's metadata log. */
  boolean replicating() {
    return replication != null;
  }

  /** Makes {@code vh}'s topology changes go through the metadata log too (a vhost of a cluster node). */
  void replicateTopology(VirtualHost vh) {
    MetadataReplication r = replication;
    if (r != null && !vh.clustering().replicated()) {
      vh.clustering().replicateWith(change -> r.replicate(List.of(change)), broker.options().nodeName(), r.queueLink());
    }
  }

  /**
   * One change of the access metadata, as its definitions records: applied here at once, or on
   * every node through the replication; either way done here when this returns. A check that fails
   * (the vhost is gone) throws and changes nothing.
   */
  void commit(FieldTable... changes) {
    MetadataReplication r = replication;
    if (r == null) {
      synchronized (broker) {
        for (FieldTable c : changes) {
          applier.apply(c);
        }
      }
    } else {
      r.replicate(List.of(changes));
    }
  }

  /**
   * The replication applies entry {@code index} of the metadata log, its changes in order, stopping
   * at the first that fails; the index is written to the definitions log with them, so that a
   * restart does not apply it twice. Returns that failure (the same on every node), or null.
   */
  public @Nullable RuntimeException applyReplicated(long term, long index, List<FieldTable> changes) {
    RuntimeException failure = null;
    for (FieldTable c : changes) {
      try {
        if (String.valueOf(c.getString(Records.TYPE)).startsWith(Records.CLUSTER_PREFIX)) {
          broker.definitions().write(c); // the cluster module's record: kept for it, applied by it
        } else {
          applier.apply(c);
        }
      } catch (AmqpException | IllegalArgumentException e) {
        failure = e;
        break;
      }
    }
    broker.definitions().write(Records.replicated(term, index));
    replicatedIndex = index;
    return failure;
  }

  /** The last entry of the metadata log applied here (0 before the first), as the definitions log has it. */
  public long replicatedIndex() {
    return replicatedIndex;
  }

  /** The cluster module's records found at start ({@code cluster.*} types), oldest first. */
  public List<FieldTable> clusterRecords() {
    return clusterRecords;
  }
}
