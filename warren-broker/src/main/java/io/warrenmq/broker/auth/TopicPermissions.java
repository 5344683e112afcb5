package io.warrenmq.broker.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The topic permissions of every user, by vhost and exchange (RabbitMQ's topic_permission
 * records). Persistence is the caller's business. Changes bump {@link #version()}, so a channel
 * that cached what it checked can tell it must look again.
 *
 * <p>Threading: thread-safe; reads take no lock.
 */
public final class TopicPermissions {
  /** user -> vhost -> exchange -> permission. */
  private final Map<String, Map<String, Map<String, TopicPermission>>> byUser = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();

  /** Adds or replaces the permission of {@code user} in {@code vhost} on its exchange. */
  public void put(String user, String vhost, TopicPermission p) {
    byUser.computeIfAbsent(user, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(vhost, k -> new ConcurrentHashMap<>())
        .put(p.exchange(), p);
    version.incrementAndGet();
  }

  /** Removes one permission; returns whether it existed. */
  public boolean remove(String user, String vhost, String exchange) {
    Map<String, TopicPermission> m = exchanges(user, vhost);
    boolean removed = m != null && m.remove(exchange) != null;
    if (removed) {
      version.incrementAndGet();
    }
    return removed;
  }

  /** The exchanges {@code user} has a topic permission on in {@code vhost}, sorted. */
  public List<String> exchangesOf(String user, String vhost) {
    Map<String, TopicPermission> m = exchanges(user, vhost);
    return m == null ? List.of() : m.keySet().stream().sorted().toList();
  }

  /** The user was deleted. */
  public void removeUser(String user) {
    if (byUser.remove(user) != null) {
      version.incrementAndGet();
    }
  }

  /** The vhost was deleted. */
  public void removeVhost(String vhost) {
    boolean removed = false;
    for (Map<String, Map<String, TopicPermission>> m : byUser.values()) {
      removed |= m.remove(vhost) != null;
    }
    if (removed) {
      version.incrementAndGet();
    }
  }

  public @Nullable TopicPermission get(String user, String vhost, String exchange) {
    Map<String, TopicPermission> m = exchanges(user, vhost);
    return m == null ? null : m.get(exchange);
  }

  private @Nullable Map<String, TopicPermission> exchanges(String user, String vhost) {
    Map<String, Map<String, TopicPermission>> m = byUser.get(user);
    return m == null ? null : m.get(vhost);
  }

  /** Bumped on every change. */
  public long version() {
    return version.get();
  }

  /** Every (user, vhost, permission), sorted by user, vhost and exchange. */
  public List<Grant> grants() {
    List<Grant> out = new ArrayList<>();
    byUser.forEach((u, vm) -> vm.forEach((v, xm) -> xm.values().forEach(p -> out.add(new Grant(u, v, p)))));
    out.sort(Comparator.comparing(Grant::user).thenComparing(Grant::vhost)
        .thenComparing(g -> g.permission().exchange()));
    return out;
  }

  /** One user's topic permission in one vhost. */
  public record Grant(String user, String vhost, TopicPermission permission) {}
}
