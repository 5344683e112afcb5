package io.warrenmq.broker.auth;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import org.jspecify.annotations.Nullable;

/**
 * The refusals of a credential user's checks, with rabbit_access_control's texts: a plain refusal
 * as for internal users, and a credential that is no longer valid (an expired token) with the
 * backend's error appended ("..., backend rabbit_auth_backend_oauth2 returned an error: "Provided
 * JWT token has expired at timestamp 1700000000 (validated at 1700000005)"").
 */
final class CredentialChecks {
  private CredentialChecks() {}

  static void vhost(CredentialAuthz c, User user, String vhost) {
    String invalid = c.invalidReason();
    if (invalid != null || !c.vhostAccess(vhost)) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED, "%s",
          suffixed(String.format("access to vhost '%s' refused for user '%s'", vhost, user.name()), c, invalid));
    }
  }

  static void resource(CredentialAuthz c, User user, String vhost, Permission.Access access, String kind,
      String name) {
    String invalid = c.invalidReason();
    if (invalid != null || !c.resourceAccess(vhost, access, name)) {
      throw refused(c, invalid, String.format("%s access to %s '%s' in vhost '%s' refused for user '%s'",
          access.label(), kind, name, vhost, user.name()));
    }
  }

  /** Passive declarations: any of the three, configure named last (as {@link Users#checkAny}). */
  static void any(CredentialAuthz c, User user, String vhost, String kind, String name) {
    String invalid = c.invalidReason();
    if (invalid == null) {
      for (Permission.Access a : Permission.Access.values()) {
        if (c.resourceAccess(vhost, a, name)) {
          return;
        }
      }
    }
    throw refused(c, invalid, String.format("configure access to %s '%s' in vhost '%s' refused for user '%s'",
        kind, name, vhost, user.name()));
  }

  static void topic(CredentialAuthz c, User user, String vhost, Permission.Access access, String exchange,
      String routingKey) {
    String invalid = c.invalidReason();
    if (invalid != null || !c.topicAccess(vhost, access, exchange, routingKey)) {
      throw refused(c, invalid, String.format(
          "%s access to topic '%s' in exchange '%s' in vhost '%s' refused for user '%s'",
          access.label(), routingKey, exchange, vhost, user.name()));
    }
  }

  private static AmqpException refused(CredentialAuthz c, @Nullable String invalid, String text) {
    return AmqpException.channelError(ReplyCode.ACCESS_REFUSED, "%s", suffixed(text, c, invalid));
  }

  private static String suffixed(String text, CredentialAuthz c, @Nullable String invalid) {
    return invalid == null ? text : text + ", backend " + c.backend() + " returned an error: \"" + invalid + "\"";
  }
}
