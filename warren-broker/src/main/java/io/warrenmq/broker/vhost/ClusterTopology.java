package io.warrenmq.broker.vhost;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.queue.QueueArguments;
import io.warrenmq.broker.queue.QueueSpec;
import io.warrenmq.broker.queue.QuorumQueues;
import io.warrenmq.broker.queue.RemoteQueue;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's topology changes of one vhost: exchange, queue and binding declarations and
 * deletions go into the cluster's metadata log as definitions records, and every node applies
 * them in log order ({@link #apply}), so that every node routes with the same exchanges and
 * bindings and knows every queue with its home node. The checks that need the asking connection
 * (exclusive ownership) are made on the node that asked, before and after the commit; the others
 * at apply time, alike on every node. A queue lives on the node that declared it; elsewhere it is a
 * {@link RemoteQueue}.
 *
 * <p>What a node does on its own (an auto-delete queue lost its last consumer, an x-expires timer
 * fired, an exclusive queue's connection closed, a transient queue did not survive a restart) it
 * commits as a deletion in the background, retrying while the cluster has no majority.
 *
 * <p>Threading: the operations block until the change is applied here (they run on blocking
 * threads, never holding the vhost's lock while they wait); {@link #apply} runs on the metadata
 * log's apply thread and takes the vhost's lock through the registries.
 */
final class ClusterTopology implements TopologyChanges {
  private static final Logger log = LoggerFactory.getLogger(ClusterTopology.class);
  private static final int ATTEMPTS = 3;
  private static final long RETRY_MILLIS = 2_000;
  private static final int BACKGROUND_ATTEMPTS = 300;

  private final String vhost;
  private final String self;
  private final TopologyReplication replication;
  private final ExchangeRegistry exchanges;
  private final QueueRegistry queues;
  private final Bindings bindings;
  private final Executor blocking;
  /** The vhost's default_queue_type ("" when not set). */
  private final java.util.function.Supplier<String> defaultQueueType;
  /** The connections that asked for exclusive queues whose declaration is being committed, by token. */
  private final Map<String, Object> pendingOwners = new ConcurrentHashMap<>();

  ClusterTopology(String vhost, String self, TopologyReplication replication, ExchangeRegistry exchanges,
      QueueRegistry queues, Bindings bindings, Executor blocking, java.util.function.Supplier<String> defaultQueueType) {
    this.vhost = vhost;
    this.defaultQueueType = defaultQueueType;
    this.self = self;
    this.replication = replication;
    this.exchanges = exchanges;
    this.queues = queues;
    this.bindings = bindings;
    this.blocking = blocking;
  }

  // ---------------------------------------------------------------- exchanges

  @Override
  public Exchange declareExchange(ExchangeSpec spec) {
    ExchangeFactory.checkType(spec.type());
    if (spec.name().isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    for (int i = 0; i < ATTEMPTS; i++) {
      Exchange x = exchanges.named(spec.name());
      if (x != null) {
        ExchangeFactory.assertEquivalent(x.spec(), spec);
        return x;
      }
      TopologyErrors.checkNotReserved("exchange", spec.name());
      replication.replicate(Records.exchange(spec, ""));
    }
    throw deletedMeanwhile("exchange", spec.name());
  }

  @Override
  public void deleteExchange(String n, boolean ifUnused) {
    if (n.isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    if (n.startsWith("amq.")) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED, "deletion of system %s not allowed", TopologyErrors.resource(vhost, "exchange", n));
    }
    if (exchanges.named(n) != null) {
      replication.replicate(Records.exchangeDeleted(vhost, n).with("ifUnused", ifUnused));
    }
  }

  // ---------------------------------------------------------------- queues

  @Override
  public QueueDeclareResult declareQueue(QueueSpec requested, boolean serverNamed, Object connection) {
    QueueSpec spec = requested;
    if (spec.exclusive() && spec.durable()) {
      spec = new QueueSpec(spec.vhost(), spec.name(), false, true, spec.autoDelete(), spec.arguments());
    }
    if (!serverNamed) {
      TopologyErrors.checkNotReserved("queue", spec.name());
    }
    spec = withDefaultType(spec, serverNamed);
    queues.countDeclared();
    boolean created = false;
    for (int i = 0; i < ATTEMPTS; i++) {
      QueueDeclareResult r = queues.redeclareLocked(spec, connection);
      if (r != null) {
        return created ? new QueueDeclareResult(r.queue(), r.messageCount(), r.consumerCount(), true) : r;
      }
      QueueArguments.validate(spec);
      FieldTable record = Records.queue(spec, "", self);
      if (queues.quorum(spec)) {
        QuorumQueues.check(spec, serverNamed);
        for (Map.Entry<String, Object> e : queues.placeQuorum(spec).entrySet()) {
          record = record.with(e.getKey(), e.getValue());
        }
      }
      String token = spec.exclusive() ? UUID.randomUUID().toString() : "";
      if (spec.exclusive()) {
        pendingOwners.put(token, connection);
      }
      try {
        replication.replicate(record.with("owner", token));
      } finally {
        pendingOwners.remove(token);
      }
      created = true;
    }
    throw deletedMeanwhile("queue", spec.name());
  }

  /**
   * RabbitMQ's default queue type: a declaration without {@code x-queue-type} in a vhost whose
   * {@code default_queue_type} is quorum gets {@code x-queue-type: quorum} when the queue can be one
   * (durable, not exclusive, not auto-delete, named by the client), a redeclaration too, so that
   * declarations with and without the argument agree. Any other queue stays classic, as in RabbitMQ.
   */
  private QueueSpec withDefaultType(QueueSpec spec, boolean serverNamed) {
    if (!"quorum".equals(defaultQueueType.get()) || spec.arguments().get("x-queue-type") != null
        || !spec.durable() || spec.exclusive() || spec.autoDelete() || serverNamed) {
      return spec;
    }
    return new QueueSpec(spec.vhost(), spec.name(), spec.durable(), spec.exclusive(), spec.autoDelete(),
        spec.arguments().with("x-queue-type", "quorum"));
  }

  @Override
  public long deleteQueue(String n, boolean ifUnused, boolean ifEmpty, Object connection) {
    Queue q = queues.get(n);
    if (q == null) {
      return 0;
    }
    ExclusiveAccess.check(q, connection);
    if (q instanceof RemoteQueue r && (ifUnused || ifEmpty)) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED,
          "%s is on node '%s': if-unused and if-empty are checked there, delete it through that node",
          q.spec().resource(), r.node());
    }
    if (ifUnused && q.consumerCount() > 0) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "%s in use", q.spec().resource());
    }
    long count = q.messageCount();
    if (ifEmpty && count > 0) {
      throw AmqpException.channelError(ReplyCode.PRECONDITION_FAILED, "%s not empty", q.spec().resource());
    }
    replication.replicate(Records.queueDeleted(vhost, n));
    return count;
  }

  @Override
  public void autoDelete(Queue q) {
    if (queues.get(q.name()) == q && q.consumerCount() == 0) {
      deleteLater(List.of(q));
    }
  }

  @Override
  public void expired(Queue q) {
    deleteLater(List.of(q));
  }

  @Override
  public void connectionClosed(Object connection) {
    deleteLater(queues.ownedBy(connection));
  }

  /** Deletes these queues of this node in the background (auto-delete, x-expires, exclusive owner gone, restart). */
  void deleteLater(List<Queue> gone) {
    if (gone.isEmpty()) {
      return;
    }
    blocking.execute(() -> {
      for (Queue q : gone) {
        deleteInBackground(q.name(), q);
      }
    });
  }

  /** Deletes the queue named {@code n} in the background while it is still {@code q} (any, if null). */
  private void deleteInBackground(String n, @Nullable Queue q) {
    for (int attempt = 1; attempt <= BACKGROUND_ATTEMPTS; attempt++) {
      Queue now = queues.get(n);
      if (now == null || (q != null && now != q)) {
        return;
      }
      try {
        replication.replicate(Records.queueDeleted(vhost, n));
        return;
      } catch (AmqpException e) {
        if (attempt == 1 || attempt % 30 == 0) {
          log.warn("could not delete {} yet: {}", now.spec().resource(), e.getMessage());
        }
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The queues whose home is {@code node}, a member that left the cluster for good: their messages
   * went with it, so their definitions go too (RabbitMQ's forget_cluster_node deletes the classic
   * queues of the node it forgets). Returns how many were deleted.
   */
  int deleteQueuesOf(String node) {
    int n = 0;
    for (Queue q : queues.all()) {
      if (node.equals(q.homeNode()) && !QuorumQueues.requested(q.spec())) { // a quorum queue has other members
        replication.replicate(Records.queueDeleted(vhost, q.name()));
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- bindings

  /** Always through the log: never done at once on an event loop ({@code wait} false answers false). */
  @Override
  public boolean queueBinding(boolean add, boolean wait, String queue, String exchange, String key, FieldTable args,
      Object connection) {
    if (!wait) {
      return false;
    }
    if (exchange.isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    Queue q = queues.get(queue);
    Exchange x = exchanges.named(exchange);
    if (!TopologyErrors.bindingEnds(add, vhost, x, exchange, q, "queue", queue)) {
      return true; // RabbitMQ: unbinding from a missing exchange or queue succeeds
    }
    ExclusiveAccess.check(q, connection);
    replication.replicate(Records.binding(add ? Records.PUT : Records.DEL, vhost, exchange, "queue", queue, key, args));
    return true;
  }

  @Override
  public boolean exchangeBinding(boolean add, boolean wait, String destination, String source, String key,
      FieldTable args) {
    if (!wait) {
      return false;
    }
    if (destination.isEmpty() || source.isEmpty()) {
      throw TopologyErrors.defaultExchangeRefused();
    }
    Exchange d = exchanges.named(destination);
    Exchange s = exchanges.named(source);
    if (!TopologyErrors.bindingEnds(add, vhost, s, source, d, "exchange", destination)) {
      return true;
    }
    replication.replicate(
        Records.binding(add ? Records.PUT : Records.DEL, vhost, source, "exchange", destination, key, args));
    return true;
  }

  // ---------------------------------------------------------------- the metadata log's apply

  /** Applies one committed topology change here: the same checks and result on every node. */
  void apply(FieldTable r) {
    boolean put = Records.PUT.equals(r.getString(Records.OP));
    String name = Records.str(r, "name");
    switch (Records.str(r, Records.TYPE)) {
      case "exchange" -> {
        if (put) {
          exchanges.declare(Records.exchangeSpec(r));
        } else {
          exchanges.delete(name, Boolean.TRUE.equals(r.getBoolean("ifUnused")));
        }
      }
      case "queue" -> {
        if (put) {
          applyQueueDeclare(r);
        } else {
          queues.applyDelete(name);
        }
      }
      case "binding" -> {
        String source = Records.str(r, "source");
        String dest = Records.str(r, "dest");
        String key = Records.str(r, "key");
        FieldTable args = r.getTable("arguments") == null ? FieldTable.EMPTY : r.getTable("arguments");
        if (Records.str(r, "destKind").equals("queue")) {
          bindings.queueBinding(put, true, dest, source, key, args, ExclusiveAccess.REPLICATED);
        } else {
          bindings.exchangeBinding(put, true, dest, source, key, args);
        }
      }
      default -> throw new IllegalArgumentException("not a topology record: " + r.getString(Records.TYPE));
    }
  }

  private void applyQueueDeclare(FieldTable r) {
    QueueSpec spec = Records.queueSpec(r);
    String home = Records.str(r, "node");
    Object owner = null;
    boolean ownerGone = false;
    if (home.equals(self) && spec.exclusive()) {
      owner = pendingOwners.get(Records.str(r, "owner"));
      if (owner == null) {
        owner = new Object(); // its connection closed before the commit, or this is a replay
        ownerGone = true;
      }
    }
    if (queues.applyDeclare(spec, home, self, owner, r) && ownerGone) {
      Queue q = queues.get(spec.name());
      if (q != null) {
        deleteLater(List.of(q));
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private AmqpException deletedMeanwhile(String kind, String n) {
    return AmqpException.channelError(ReplyCode.NOT_FOUND,
        "%s was deleted while being declared; declare it again", TopologyErrors.resource(vhost, kind, n));
  }
}
