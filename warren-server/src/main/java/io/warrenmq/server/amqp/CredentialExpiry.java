package io.warrenmq.server.amqp;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.warrenmq.broker.auth.CredentialAuthz;
import io.warrenmq.broker.auth.User;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The timer that closes a connection when its user's credential (an OAuth 2 token) expires, as
 * RabbitMQ's reader does from 4.0 on (rabbit_reader, maybe_start_credential_expiry_timer: 320
 * CONNECTION_FORCED "credential expired"). RabbitMQ 3.13.7 only refused the next operation; see
 * docs/oauth2.md. connection.update-secret re-arms it for the new token.
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class CredentialExpiry {
  private @Nullable ScheduledFuture<?> timer;

  /** Cancels any timer, then starts one for {@code user}'s credential if it expires. */
  void arm(EventExecutor loop, User user, Runnable onExpiry) {
    cancel();
    CredentialAuthz c = user.credential();
    if (c == null || c.expiresAt() == Long.MAX_VALUE) {
      return;
    }
    long ms = Math.max(0, c.expiresAt() * 1000 - System.currentTimeMillis());
    timer = loop.schedule(onExpiry, ms, TimeUnit.MILLISECONDS);
  }

  void cancel() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
      timer = null;
    }
  }
}
