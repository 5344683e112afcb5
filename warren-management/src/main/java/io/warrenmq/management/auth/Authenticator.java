package io.warrenmq.management.auth;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.AuthBackend;
import io.warrenmq.broker.auth.User;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP basic authentication against the broker's users and the check of a route's {@link Access},
 * with RabbitMQ's answers (rabbit_web_dispatch_access_control): 401 {@code not_authorized}
 * {@code Not_Authorized} without credentials (with {@code www-authenticate}) or with wrong ones (without), 401
 * {@code not_authorised} "User can only log in via localhost" for a loopback-only user from
 * elsewhere, "Not management user" without a management tag, and the route's own refusal text. Each
 * refusal is logged as "HTTP access denied".
 */
public final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  /** RabbitMQ's realm (rabbit_mgmt_util ?AUTH_REALM). */
  public static final String REALM = "Basic realm=\"RabbitMQ Management\"";

  private final Broker broker;

  public Authenticator(Broker broker) {
    this.broker = broker;
  }

  /**
   * The request's user, checked against {@code access}; {@code vhost} is the vhost the path names
   * (null if none). A vhost that does not exist passes (the route then answers 404).
   */
  public Principal authenticate(Request request, Access access, @Nullable String vhost) {
    Principal p = login(request);
    if (!allowed(p, access, vhost)) {
      throw refused(p.name(), access.refusal());
    }
    return p;
  }

  /**
   * The user of the request's credentials, if it is a management user at all: basic credentials
   * go through the auth backend chain (so an OAuth 2 token works as the password), and {@code
   * Authorization: Bearer <jwt>} through the OAuth 2 backend, as RabbitMQ's management plugin
   * accepts both with rabbit_auth_backend_oauth2 enabled.
   */
  public Principal login(Request request) {
    String header = request.header("authorization");
    String bearer = bearer(header);
    String[] credentials = bearer != null ? new String[] {"", bearer} : credentials(header);
    if (credentials == null) {
      throw authenticationRequired();
    }
    User u = bearer != null ? tokenLogin(bearer, request.fromLoopback()) : passwordLogin(credentials, request);
    if (u == null) {
      log.warn("HTTP access denied: user '{}' - invalid credentials", credentials[0]);
      // RabbitMQ's not_authenticated: the same body, but no www-authenticate (so that a browser
      // page sending its own credentials gets the answer, not a login prompt)
      throw new ApiException(401, "not_authorized", "Not_Authorized");
    }
    if (u.credential() == null && !request.fromLoopback() && broker.users().loopbackOnly(u.name())) {
      throw refused(u.name(), "User can only log in via localhost");
    }
    Principal p = new Principal(u, broker);
    if (!p.isManagementUser()) {
      throw refused(u.name(), "Not management user");
    }
    return p;
  }

  private @Nullable User passwordLogin(String[] credentials, Request request) {
    if (broker.users().backends().isEmpty()) {
      User u = broker.users().get(credentials[0]);
      return u != null && u.checkPassword(credentials[1]) ? u : null; // loopback_users: checked by the caller
    }
    for (AuthBackend b : broker.users().backends()) {
      // the internal backend refuses loopback-only users from elsewhere itself; keep the caller's
      // distinct answer for them by passing loopback=true and checking after
      User u = b.authenticate(credentials[0], credentials[1], true);
      if (u != null) {
        return u;
      }
    }
    return null;
  }

  private @Nullable User tokenLogin(String token, boolean loopback) {
    for (AuthBackend b : broker.users().backends()) {
      if (b.name().equals("oauth2")) {
        return b.authenticate("", token, loopback);
      }
    }
    return null;
  }

  /** The token of a {@code Bearer} Authorization header, or null. */
  static @Nullable String bearer(@Nullable String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = header.substring(7).strip();
    return t.isEmpty() ? null : t;
  }

  private boolean allowed(Principal p, Access access, @Nullable String vhost) {
    boolean known = vhost != null && broker.vhost(vhost) != null;
    return switch (access) {
      case MANAGEMENT -> true;
      case ADMIN -> p.isAdministrator();
      case MONITOR -> p.isMonitor();
      case VHOST -> p.isAdministrator() || !known || p.canLogIn(vhost);
      case VHOST_VISIBLE -> p.isAdministrator() || !known || p.sees(vhost);
      case VHOST_VISIBLE_FOR_MONITORING -> p.isMonitor() || !known || p.sees(vhost);
      case POLICIES -> p.isAdministrator() || (p.isPolicymaker() && (!known || p.canLogIn(vhost)));
      case GLOBAL_PARAMETERS -> p.isPolicymaker();
    };
  }

  private static ApiException refused(String user, String reason) {
    log.warn("HTTP access denied: user '{}' - {}", user, reason);
    return ApiException.notAuthorised(reason);
  }

  /** {user, password} of a basic Authorization header, or null if there is none. */
  static String @Nullable [] credentials(@Nullable String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  /** No or wrong credentials: 401 with the realm, so that browsers and clients ask for them. */
  private static ApiException authenticationRequired() {
    return new ApiException(401, "not_authorized", "Not_Authorized").withHeader("www-authenticate", REALM);
  }
}
