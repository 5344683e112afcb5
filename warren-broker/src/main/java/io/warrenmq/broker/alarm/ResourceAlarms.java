package io.warrenmq.broker.alarm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource alarms in effect on this node and who hears of them, as RabbitMQ's rabbit_alarm:
 * {@link #set} and {@link #clear} log RabbitMQ's lines and tell every {@link Listener} (the AMQP
 * connections, which block their publishers while any alarm is on). The monitor's last figures
 * are kept here too, for status, the HTTP API and Prometheus.
 *
 * <p>Threading: thread-safe. {@link #set} and {@link #clear} are serialised; a listener is called
 * on the thread that changed the alarms and must not block (an AMQP connection hops onto its event
 * loop).
 */
public final class ResourceAlarms {
  private static final Logger log = LoggerFactory.getLogger(ResourceAlarms.class);

  /** The resources rabbit_alarm raises resource_limit alarms for, by its names. */
  public enum Resource {
    MEMORY("memory"),
    DISK("disk");

    private final String rabbitName;

    Resource(String rabbitName) {
      this.rabbitName = rabbitName;
    }

    /** "memory", "disk": rabbit_alarm's resource names (health checks, connection.blocked reasons). */
    public String rabbitName() {
      return rabbitName;
    }
  }

  /** Hears every change of the alarms in effect. */
  @FunctionalInterface
  public interface Listener {
    /** @param active the alarms now in effect, an immutable snapshot (empty: all clear) */
    void alarmsChanged(Set<Resource> active);
  }

  private final String node;
  /** One per open AMQP connection: a concurrent set, so that connecting stays O(1) with many. */
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private volatile Set<Resource> active = Set.of();
  private volatile long memoryUsed;
  private volatile long diskFree = -1;

  /** @param node the node name the log lines give */
  public ResourceAlarms(String node) {
    this.node = node;
  }

  /** The alarms in effect, an immutable snapshot. */
  public Set<Resource> active() {
    return active;
  }

  public boolean isActive(Resource r) {
    return active.contains(r);
  }

  /** Raises the alarm for {@code r} unless it is on; RabbitMQ's warning; tells the listeners. */
  public synchronized void set(Resource r) {
    if (active.contains(r)) {
      return;
    }
    EnumSet<Resource> next = EnumSet.of(r);
    next.addAll(active);
    active = Collections.unmodifiableSet(next);
    log.warn("{} resource limit alarm set on node {}.\n\n"
        + "**********************************************************\n"
        + "*** Publishers will be blocked until this alarm clears ***\n"
        + "**********************************************************", r.rabbitName(), node);
    tell();
  }

  /** Clears the alarm for {@code r} if it is on; RabbitMQ's warning; tells the listeners. */
  public synchronized void clear(Resource r) {
    if (!active.contains(r)) {
      return;
    }
    EnumSet<Resource> next = EnumSet.noneOf(Resource.class);
    next.addAll(active);
    next.remove(r);
    active = next.isEmpty() ? Set.of() : Collections.unmodifiableSet(next);
    log.warn("{} resource limit alarm cleared on node {}", r.rabbitName(), node);
    tell();
  }

  private void tell() {
    Set<Resource> now = active;
    for (Listener l : listeners) {
      try {
        l.alarmsChanged(now);
      } catch (RuntimeException e) {
        log.error("resource alarm listener failed", e);
      }
    }
  }

  /** Adds a listener; it hears the next change (read {@link #active()} for the current state). */
  public void subscribe(Listener l) {
    listeners.add(l);
  }

  public void unsubscribe(Listener l) {
    listeners.remove(l);
  }

  /** The memory use the monitor last measured, bytes (0 before its first check). */
  public long memoryUsed() {
    return memoryUsed;
  }

  void memoryUsed(long bytes) {
    memoryUsed = bytes;
  }

  /** The free disk space the monitor last measured, bytes; -1 before its first check or if unknown. */
  public long diskFree() {
    return diskFree;
  }

  void diskFree(long bytes) {
    diskFree = bytes;
  }
}
