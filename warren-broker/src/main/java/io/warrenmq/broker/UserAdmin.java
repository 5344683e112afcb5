package io.warrenmq.broker;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.auth.PasswordHash;
import io.warrenmq.broker.auth.Permission;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.auth.UserUpdate;
import io.warrenmq.broker.auth.Users;
import io.warrenmq.broker.definitions.Records;
import io.warrenmq.broker.limits.Limits;
import io.warrenmq.broker.term.ErlangTerm;
import io.warrenmq.broker.term.ValidationError;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users created and changed as rabbit_auth_backend_internal:put_user does it for the management
 * API and definitions import, and user limits (set_user_limits, clear_user_limits).
 *
 * <p>Threading: thread-safe; changes hold the broker's monitor, as the broker's own operations do.
 */
public final class UserAdmin {
  private static final Logger log = LoggerFactory.getLogger(UserAdmin.class);

  private final Broker broker;
  private final Users users;

  UserAdmin(Broker broker, Users users) {
    this.broker = broker;
    this.users = users;
  }

  /**
   * put_user: tags (or the legacy administrator flag) are required; a password or a hash, not
   * both; neither clears an existing user's password. A new user gets the request's permissions.
   * Returns whether the user was created.
   *
   * @param version the definitions file's RabbitMQ version, for the default algorithm of a hash
   *     without one (RabbitMQ before 3.6 hashed with MD5); null for the API
   */
  public boolean put(UserUpdate r, @Nullable String version) {
    synchronized (broker) {
      return doPut(r, version);
    }
  }

  private boolean doPut(UserUpdate r, @Nullable String version) {
    List<String> tags = tags(r);
    Limits limits = r.limits() == null ? null : Limits.parse("user-limits", Limits.USER_KEYS, r.limits());
    if (r.hasPassword() && r.hasPasswordHash()) {
      throw ValidationError.atom("both_password_and_password_hash_are_provided");
    }
    User existing = users.get(r.name());
    User u;
    if (r.hasPasswordHash()) {
      String hash = canonicalHash(r.passwordHash());
      u = base(existing, r.name()).withPassword(hash, algorithm(r.hashingAlgorithm(), version)).withTags(tags);
    } else if (r.hasPassword() || existing == null) {
      // a new user without a password gets the hash of "" (rabbit_auth_backend_internal
      // create_user_with_password), which no login matches: blank passwords are refused
      String pw = r.password() == null ? "" : r.password();
      u = base(existing, r.name()).withPassword(PasswordHash.hash(pw), PasswordHash.Algorithm.SHA256).withTags(tags);
    } else {
      // neither: set the tags and clear the password; limits are left as they are
      put(existing.withTags(tags).withPassword("", PasswordHash.Algorithm.SHA256));
      return false;
    }
    if (limits != null) {
      u = u.withLimits(u.limits().with(limits));
    }
    put(u);
    if (existing == null && r.permissions() != null) {
      preconfigure(r.name(), r.permissions());
    }
    return existing == null;
  }

  private static User base(@Nullable User existing, String name) {
    return existing != null ? existing : new User(name, "", List.of());
  }

  private static List<String> tags(UserUpdate r) {
    if (r.tags() != null) {
      return UserUpdate.tagList(r.tags());
    }
    if (r.administrator() != null) {
      return parseBool(r.administrator()) ? List.of("administrator") : List.of();
    }
    throw ValidationError.atom("tags_not_present");
  }

  /** rabbit_misc:parse_bool: true / "true" and false / "false". */
  private static boolean parseBool(Object v) {
    return switch (v.toString()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ValidationError(ErlangTerm.tuple(ErlangTerm.atom("error"),
          ErlangTerm.tuple(ErlangTerm.atom("not_boolean"), ErlangTerm.ofJson(v))));
    };
  }

  /** The hash as RabbitMQ would export it again: the base64 of its bytes (b64decode_or_throw). */
  private static String canonicalHash(@Nullable String hash) {
    String h = hash == null ? "" : hash;
    byte[] bytes = PasswordHash.decode(h);
    if (bytes == null) {
      throw new ValidationError(ErlangTerm.tuple(ErlangTerm.atom("not_base64"), ErlangTerm.bin(h)));
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The algorithm of an imported hash (rabbit_auth_backend_internal hashing_algorithm): as named,
   * else MD5 for a file from RabbitMQ 3.0 to 3.5, else SHA-256.
   */
  static PasswordHash.Algorithm algorithm(@Nullable String name, @Nullable String version) {
    if (name == null) {
      return version != null && version.matches("3\\.[0-5]\\..*")
          ? PasswordHash.Algorithm.MD5 : PasswordHash.Algorithm.SHA256;
    }
    PasswordHash.Algorithm a = PasswordHash.Algorithm.of(name);
    if (a == null) {
      // RabbitMQ would store any module name and fail every login of the user; refuse it here
      throw new ValidationError(ErlangTerm.tuple(ErlangTerm.atom("unknown_hashing_algorithm"), ErlangTerm.bin(name)));
    }
    return a;
  }

  private void preconfigure(String user, Map<?, ?> permissions) {
    permissions.forEach((vhost, p) -> {
      Map<?, ?> m = p instanceof Map<?, ?> x ? x : Map.of();
      broker.setPermission(user, String.valueOf(vhost), new Permission(String.valueOf(m.get("configure")),
          String.valueOf(m.get("write")), String.valueOf(m.get("read"))));
    });
  }

  void put(User u) {
    broker.commit(Records.user(u));
  }

  /** set_user_limits: validated (RabbitMQ's texts), merged over the user's limits. */
  public void setLimits(String name, @Nullable Object value) {
    synchronized (broker) {
      User u = require(name);
      Limits l = Limits.parse("user-limits", Limits.USER_KEYS, io.warrenmq.broker.parameter.JsonValues.canonical(value));
      put(u.withLimits(u.limits().with(l)));
      log.info("set limits of user '{}' to {}", name, l.values());
    }
  }

  /** clear_user_limits: one limit, or every one with {@code all}. */
  public void clearLimits(String name, String limit) {
    synchronized (broker) {
      User u = require(name);
      put(u.withLimits(limit.equals("all") ? Limits.NONE : u.limits().without(limit)));
    }
  }

  private User require(String name) {
    User u = users.get(name);
    if (u == null) {
      throw AmqpException.channelError(ReplyCode.NOT_FOUND, "no user '%s'", name);
    }
    return u;
  }
}
