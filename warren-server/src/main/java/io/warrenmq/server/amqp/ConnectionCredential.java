package io.warrenmq.server.amqp;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.method.ConnectionUpdateSecret;
import io.warrenmq.amqp.method.ConnectionUpdateSecretOk;
import io.warrenmq.broker.auth.CredentialAuthz;
import io.warrenmq.broker.auth.User;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's credential once it is open: connection.update-secret, and the timer that closes
 * the connection when the user's token expires, as RabbitMQ's reader does from 4.0 on
 * (rabbit_reader, maybe_start_credential_expiry_timer: 320 CONNECTION_FORCED "credential
 * expired"; 3.13.7 only refused the next operation, see docs/oauth2.md). A token user's new
 * secret is verified on a virtual thread (it may fetch a JWKS) and applied back on the event loop;
 * a password user's at once.
 *
 * <p>Threading: confined to the connection's event loop, but for the verification it hands off.
 */
final class ConnectionCredential {
  private static final Logger log = LoggerFactory.getLogger(ConnectionCredential.class);

  private final AmqpConnectionHandler connection;
  private final ConnectionLifecycle lifecycle;
  private @Nullable ScheduledFuture<?> timer;

  ConnectionCredential(AmqpConnectionHandler connection, ConnectionLifecycle lifecycle) {
    this.connection = connection;
    this.lifecycle = lifecycle;
  }

  /**
   * The login a backend chain ran off the event loop finished (see {@link Handshake}): on to
   * connection.tune, or the refusal as any handshake error; nothing if the socket closed meanwhile.
   */
  void loginCompleted(@Nullable User user, @Nullable RuntimeException failure) {
    if (!connection.context().channel().isActive() || lifecycle.state() != ConnectionLifecycle.State.HANDSHAKE) {
      return;
    }
    if (failure instanceof AmqpException e) {
      lifecycle.connectionError(e, false);
    } else if (failure != null) {
      lifecycle.internalError(failure);
    } else if (user != null) {
      connection.handshake().loggedIn(user);
    }
    connection.context().flush();
  }

  void updateSecret(ConnectionUpdateSecret u) {
    Handshake h = connection.handshake();
    if (!h.needsOffloop()) {
      updated(u, h.refreshed(u), null);
      return;
    }
    EventExecutor loop = connection.context().executor();
    Thread.ofVirtual().name("update-secret " + connection.name()).start(() -> {
      User next = null;
      RuntimeException error = null;
      try {
        next = h.refreshed(u);
      } catch (RuntimeException e) {
        error = e;
      }
      User result = next;
      RuntimeException failure = error;
      loop.execute(() -> updated(u, result, failure));
    });
  }

  private void updated(ConnectionUpdateSecret u, @Nullable User next, @Nullable RuntimeException failure) {
    if (lifecycle.state() != ConnectionLifecycle.State.OPEN) {
      return; // closed meanwhile
    }
    try {
      if (failure != null) {
        throw failure;
      }
      if (next != null) {
        connection.handshake().applySecret(u, next);
        armExpiry();
        connection.writeMethod(0, new ConnectionUpdateSecretOk());
      }
    } catch (AmqpException e) {
      lifecycle.connectionError(e, false);
    } catch (RuntimeException e) {
      lifecycle.internalError(e);
    }
    connection.context().flush();
  }

  /** Cancels any timer, then starts one for the user's credential if it expires. */
  void armExpiry() {
    cancel();
    User user = connection.handshake().user();
    CredentialAuthz c = user == null ? null : user.credential();
    if (c == null || c.expiresAt() == Long.MAX_VALUE) {
      return;
    }
    long ms = Math.max(0, c.expiresAt() * 1000 - System.currentTimeMillis());
    timer = connection.context().executor().schedule(() -> {
      log.warn("closing AMQP connection {} of user '{}': credential has expired", connection.name(), user.name());
      lifecycle.closeRequested(ReplyCode.CONNECTION_FORCED, "credential expired");
    }, ms, TimeUnit.MILLISECONDS);
  }

  void cancel() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
      timer = null;
    }
  }
}
