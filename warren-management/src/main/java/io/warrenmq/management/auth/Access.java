package io.warrenmq.management.auth;

/**
 * What a route requires of the authenticated user, after it is a management user at all (one of
 * the tags administrator, monitoring, policymaker, management). The names and refusal texts are
 * rabbit_web_dispatch_access_control's is_authorized_* checks.
 */
public enum Access {
  /** Any management user (is_authorized). */
  MANAGEMENT(""),
  /** administrator (is_authorized_admin). */
  ADMIN("Not administrator user"),
  /** administrator or monitoring (is_authorized_monitor). */
  MONITOR("Not monitor user"),
  /** administrator, or a permission on the path's vhost (is_authorized_vhost). */
  VHOST("User not authorised to access virtual host"),
  /** administrator, or the path's vhost visible to the user (is_authorized_vhost_visible). */
  VHOST_VISIBLE("User not authorised to access virtual host"),
  /** administrator, monitoring, or the vhost visible (is_authorized_vhost_visible_for_monitoring). */
  VHOST_VISIBLE_FOR_MONITORING("User not authorised to access virtual host"),
  /** administrator, or policymaker with a permission on the vhost (is_authorized_policies). */
  POLICIES("User not authorised to access object"),
  /** policymaker or administrator (is_authorized_global_parameters). */
  GLOBAL_PARAMETERS("User not authorised to access object");

  private final String refusal;

  Access(String refusal) {
    this.refusal = refusal;
  }

  /** RabbitMQ's reason text when the check fails. */
  public String refusal() {
    return refusal;
  }
}
