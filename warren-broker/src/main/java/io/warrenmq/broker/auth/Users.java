package io.warrenmq.broker.auth;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory registry of users and their per-vhost permissions, with the checks the AMQP
 * channel makes. Persistence is the caller's ({@code Broker}) business. Thread-safe.
 */
public final class Users {
  private static final Logger log = LoggerFactory.getLogger(Users.class);
  private final Map<String, User> users = new ConcurrentHashMap<>();
  /** user name -> vhost -> permission. */
  private final Map<String, Map<String, Permission>> permissions = new ConcurrentHashMap<>();
  private final TopicPermissions topicPermissions = new TopicPermissions();

  private final Set<String> loopbackOnly;
  /** The auth_backends chain; empty means the internal backend alone (the fast path). */
  private volatile List<AuthBackend> backends = List.of();

  /** @param loopbackOnly users that may log in from a loopback address only (RabbitMQ: guest) */
  public Users(Set<String> loopbackOnly) {
    this.loopbackOnly = Set.copyOf(loopbackOnly);
  }

  /**
   * Sets the authentication chain ({@code auth_backends.N}, in order); an empty list or the
   * internal backend alone keeps password logins on {@link #authenticate}'s path.
   */
  public void useBackends(List<AuthBackend> chain) {
    boolean internalOnly = chain.size() == 1 && chain.getFirst().name().equals(InternalBackend.NAME);
    backends = internalOnly ? List.of() : List.copyOf(chain);
  }

  /** The configured chain (empty: internal only). */
  public List<AuthBackend> backends() {
    return backends;
  }

  /**
   * Logs a client in through the chain: the first backend that authenticates wins
   * (rabbit_access_control, check_user_login); if none does, a connection-level 403 as {@link
   * #authenticate}'s.
   */
  public User login(String name, String secret, String mechanism, boolean loopback) {
    List<AuthBackend> chain = backends;
    if (chain.isEmpty()) {
      return authenticate(name, secret, mechanism, loopback);
    }
    for (AuthBackend b : chain) {
      User u = b.authenticate(name, secret, loopback);
      if (u != null) {
        return u;
      }
    }
    log.warn("{} login refused: user '{}' - refused by every auth backend ({})", mechanism, name,
        String.join(", ", chain.stream().map(AuthBackend::name).toList()));
    throw loginRefused(mechanism);
  }

  /**
   * connection.update-secret: the user a new secret makes of {@code current}. An internal user has
   * no expiring credential, so the secret is accepted as it is (RabbitMQ skips backends whose
   * expiry_timestamp is never); a credential user is refreshed by the backend that issued it.
   *
   * @throws AuthBackend.SecretRefused if that backend refuses the secret
   */
  public User refresh(User current, String secret) {
    CredentialAuthz c = current.credential();
    if (c == null) {
      return current;
    }
    for (AuthBackend b : backends) {
      if (b.module().equals(c.backend())) {
        return b.refresh(current, secret);
      }
    }
    throw new AuthBackend.SecretRefused("backend " + c.backend() + " is not configured");
  }

  public void put(User user) {
    users.put(user.name(), user);
  }

  /** Removes the user and all of its permissions; returns whether it existed. */
  public boolean remove(String name) {
    permissions.remove(name);
    topicPermissions.removeUser(name);
    return users.remove(name) != null;
  }

  public @Nullable User get(String name) {
    return users.get(name);
  }

  public List<User> list() {
    List<User> l = new ArrayList<>(users.values());
    l.sort(Comparator.comparing(User::name));
    return l;
  }

  /** Whether {@code name} may log in from loopback addresses only (RabbitMQ's loopback_users). */
  public boolean loopbackOnly(String name) {
    return loopbackOnly.contains(name);
  }

  public void setPermission(String user, String vhost, Permission permission) {
    permissions.computeIfAbsent(user, k -> new ConcurrentHashMap<>()).put(vhost, permission);
  }

  public boolean clearPermission(String user, String vhost) {
    Map<String, Permission> m = permissions.get(user);
    return m != null && m.remove(vhost) != null;
  }

  /** Forgets every permission on {@code vhost} (it was deleted). */
  public void clearVhost(String vhost) {
    permissions.values().forEach(m -> m.remove(vhost));
    topicPermissions.removeVhost(vhost);
  }

  /** The users' topic permissions (RabbitMQ topic authorisation on topic exchanges). */
  public TopicPermissions topicPermissions() {
    return topicPermissions;
  }

  /**
   * The topic permission that governs routing keys on exchange {@code exchange} of type {@code
   * exchangeType}, or null when none does: only topic exchanges are checked, and an exchange
   * without a topic permission for the user lets every key through (RabbitMQ rabbit_channel,
   * check_topic_authorisation; rabbit_auth_backend_internal, check_topic_access).
   */
  public @Nullable TopicPermission topicPermission(User user, String vhost, String exchangeType, String exchange) {
    return "topic".equals(exchangeType) ? topicPermissions.get(user.name(), vhost, exchange) : null;
  }

  /**
   * Refuses with channel-level 403 unless the routing key passes {@code p} (from {@link
   * #topicPermission}), with RabbitMQ's text (rabbit_access_control, check_topic_access): "write
   * access to topic 'a.b' in exchange 'amq.topic' in vhost '/' refused for user 'bob'".
   */
  public static void checkTopic(TopicPermission p, User user, String vhost, Permission.Access access, String routingKey) {
    if (!p.permits(access, routingKey)) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED,
          "%s access to topic '%s' in exchange '%s' in vhost '%s' refused for user '%s'",
          access.label(),
          routingKey,
          p.exchange(),
          vhost,
          user.name());
    }
  }

  public @Nullable Permission permission(String user, String vhost) {
    Map<String, Permission> m = permissions.get(user);
    return m == null ? null : m.get(vhost);
  }

  /** Every (user, vhost, permission), sorted, for listings and definitions. */
  public List<Grant> grants() {
    List<Grant> out = new ArrayList<>();
    permissions.forEach((u, m) -> m.forEach((v, p) -> out.add(new Grant(u, v, p))));
    out.sort(Comparator.comparing(Grant::user).thenComparing(Grant::vhost));
    return out;
  }

  /**
   * Password login (SASL PLAIN / AMQPLAIN) against the internal users alone. Returns the user, or
   * throws a connection-level 403 ACCESS_REFUSED with the text RabbitMQ sends to clients that announce
   * authentication_failure_close, which does not say what was wrong (rabbit_reader, auth_fail);
   * the reason is logged instead.
   */
  public User authenticate(String name, String password, String mechanism, boolean loopback) {
    User u = passwordLogin(name, password, mechanism, loopback);
    if (u == null) {
      throw loginRefused(mechanism);
    }
    return u;
  }

  /** The internal backend's check: the user, or null (the reason logged). */
  @Nullable User passwordLogin(String name, String password, String mechanism, boolean loopback) {
    User u = users.get(name);
    if (u == null || !u.checkPassword(password)) {
      log.warn("{} login refused: user '{}' - invalid credentials", mechanism, name);
      return null;
    }
    if (!loopback && loopbackOnly.contains(name)) {
      log.warn("{} login refused: user '{}' can only connect via localhost", mechanism, name);
      return null;
    }
    return u;
  }

  /**
   * Login without a password, by a name established outside SASL (EXTERNAL: a verified client
   * certificate): the user must exist, and loopback_users still apply (RabbitMQ's
   * check_user_login with no password).
   */
  public User authenticateExternal(String name, String mechanism, boolean loopback) {
    User u = users.get(name);
    if (u == null) {
      log.warn("{} login refused: user '{}' - invalid credentials", mechanism, name);
      throw loginRefused(mechanism);
    }
    if (!loopback && loopbackOnly.contains(name)) {
      log.warn("{} login refused: user '{}' can only connect via localhost", mechanism, name);
      throw loginRefused(mechanism);
    }
    return u;
  }

  /** The 403 of a refused login, with RabbitMQ's text; the reason goes to the log. */
  public static AmqpException loginRefused(String mechanism) {
    return AmqpException.connectionError(
        ReplyCode.ACCESS_REFUSED,
        "Login was refused using authentication mechanism %s. For details see the broker logfile.",
        mechanism);
  }

  /** connection.open: a user needs some permission on the vhost (RabbitMQ answers 530). */
  public void checkVhostAccess(User user, String vhost) {
    CredentialAuthz c = user.credential();
    if (c != null) {
      CredentialChecks.vhost(c, user, vhost);
    } else if (permission(user.name(), vhost) == null) {
      throw AmqpException.connectionError(
          ReplyCode.NOT_ALLOWED, "access to vhost '%s' refused for user '%s'", vhost, user.name());
    }
  }

  /** Whether {@code user} may open a connection to {@code vhost} (management's vhost visibility). */
  public boolean hasVhostAccess(User user, String vhost) {
    CredentialAuthz c = user.credential();
    if (c != null) {
      return c.invalidReason() == null && c.vhostAccess(vhost);
    }
    return permission(user.name(), vhost) != null;
  }

  /**
   * The topic check of a publish (WRITE) or a binding (READ) on exchange {@code exchange}: internal
   * users by their topic permission ({@link #topicPermission}), credential users by their
   * credential, on topic exchanges only (rabbit_channel, check_topic_authorisation).
   */
  public void checkTopicAccess(User user, String vhost, String exchangeType, String exchange,
      Permission.Access access, String routingKey) {
    CredentialAuthz c = user.credential();
    if (c != null) {
      if ("topic".equals(exchangeType)) {
        CredentialChecks.topic(c, user, vhost, access, exchange, routingKey);
      }
      return;
    }
    TopicPermission p = topicPermission(user, vhost, exchangeType, exchange);
    if (p != null) {
      checkTopic(p, user, vhost, access, routingKey);
    }
  }

  /**
   * Refuses with channel-level 403 unless {@code user} has {@code access} to the resource, with
   * RabbitMQ's text (rabbit_access_control): "configure access to queue 'q' in vhost '/' refused
   * for user 'bob'".
   *
   * @param kind "queue" or "exchange"
   * @param name resource name; the default exchange is checked as "amq.default"
   */
  public void check(User user, String vhost, Permission.Access access, String kind, String name) {
    String resource = name.isEmpty() && kind.equals("exchange") ? "amq.default" : name;
    CredentialAuthz c = user.credential();
    if (c != null) {
      CredentialChecks.resource(c, user, vhost, access, kind, resource);
      return;
    }
    Permission p = permission(user.name(), vhost);
    if (p == null || !p.permits(access, resource)) {
      throw AmqpException.channelError(
          ReplyCode.ACCESS_REFUSED,
          "%s access to %s '%s' in vhost '%s' refused for user '%s'",
          access.label(),
          kind,
          resource,
          vhost,
          user.name());
    }
  }

  /**
   * Passive declarations need some permission, whichever, on the resource (RabbitMQ's
   * check_any_resource_access_permitted, which tries configure last, so a refusal names it).
   */
  public void checkAny(User user, String vhost, String kind, String name) {
    CredentialAuthz c = user.credential();
    if (c != null) {
      CredentialChecks.any(c, user, vhost, kind, name);
      return;
    }
    Permission p = permission(user.name(), vhost);
    if (p != null) {
      for (Permission.Access a : Permission.Access.values()) {
        if (p.permits(a, name)) {
          return;
        }
      }
    }
    throw AmqpException.channelError(
        ReplyCode.ACCESS_REFUSED,
        "configure access to %s '%s' in vhost '%s' refused for user '%s'",
        kind,
        name,
        vhost,
        user.name());
  }

  /** One user's permission on one vhost. */
  public record Grant(String user, String vhost, Permission permission) {}
}
