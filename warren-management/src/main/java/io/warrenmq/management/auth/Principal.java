package io.warrenmq.management.auth;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.List;

/**
 * An authenticated management user and what its tags and permissions let it see.
 *
 * @param user the broker's user
 * @param broker the broker, for permission look-ups
 */
public record Principal(User user, Broker broker) {
  public String name() {
    return user.name();
  }

  public boolean isAdministrator() {
    return user.tags().contains("administrator");
  }

  /** administrator or monitoring: sees every vhost and every user's objects. */
  public boolean isMonitor() {
    return isAdministrator() || user.tags().contains("monitoring");
  }

  /** administrator or policymaker. */
  public boolean isPolicymaker() {
    return isAdministrator() || user.tags().contains("policymaker");
  }

  /** One of the tags that open the management API at all. */
  public boolean isManagementUser() {
    return isMonitor() || isPolicymaker() || user.tags().contains("management");
  }

  /** The user may log in to {@code vhost} (a permission there, or a token scope naming it). */
  public boolean canLogIn(String vhost) {
    return broker.users().hasVhostAccess(user, vhost);
  }

  /** Monitoring users see every vhost; others the ones they may log in to (list_visible_vhosts). */
  public boolean sees(String vhost) {
    return isMonitor() || canLogIn(vhost);
  }

  /** The vhosts this user sees, sorted by name. */
  public List<VirtualHost> visibleVhosts() {
    return broker.vhosts().stream().filter(v -> sees(v.name())).toList();
  }

  /**
   * Whether the user may see or act on an object owned by {@code owner} (connections, channels):
   * its own always; others' to read if monitoring, to delete if administrator
   * (is_authorized_user).
   */
  public boolean mayTouchObjectOf(String owner, boolean delete) {
    return owner.equals(user.name()) || (delete ? isAdministrator() : isMonitor());
  }
}
