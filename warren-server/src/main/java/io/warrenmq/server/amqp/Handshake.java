package io.warrenmq.server.amqp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.frame.Frame;
import io.warrenmq.amqp.frame.FrameDecoder;
import io.warrenmq.amqp.frame.HeartbeatFrame;
import io.warrenmq.amqp.frame.MethodFrame;
import io.warrenmq.amqp.frame.ProtocolHeaderDecoder;
import io.warrenmq.amqp.method.ConnectionOpen;
import io.warrenmq.amqp.method.ConnectionOpenOk;
import io.warrenmq.amqp.method.ConnectionStart;
import io.warrenmq.amqp.method.ConnectionStartOk;
import io.warrenmq.amqp.method.ConnectionTune;
import io.warrenmq.amqp.method.ConnectionTuneOk;
import io.warrenmq.amqp.method.ConnectionUpdateSecret;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.broker.Broker;
import io.warrenmq.broker.Compatibility;
import io.warrenmq.broker.auth.AuthBackend;
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.server.Version;
import io.warrenmq.server.config.BrokerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection handshake of AMQP 0-9-1 (2.2.4): start / start-ok with SASL, tune / tune-ok,
 * open / open-ok, with RabbitMQ's checks: credentials (403), frame-max and channel-max within the
 * server's limits (530), the vhost existing and permitted (530).
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class Handshake {
  private static final Logger log = LoggerFactory.getLogger(Handshake.class);

  private enum Step {
    START_OK,
    TUNE_OK,
    OPEN,
    DONE
  }

  private final AmqpConnectionHandler connection;
  private final BrokerConfig config;
  private final Broker broker;
  private final boolean loopback;
  private Step step = Step.START_OK;
  private FieldTable clientProperties = FieldTable.EMPTY;
  private String mechanism = "";
  private @Nullable User user;
  private boolean loginPending;
  private @Nullable VirtualHost vhost;
  private int frameMax = AmqpConstants.FRAME_MIN_SIZE;
  private int channelMax;
  private int heartbeat;

  Handshake(AmqpConnectionHandler connection, BrokerConfig config, Broker broker, boolean loopback) {
    this.connection = connection;
    this.config = config;
    this.broker = broker;
    this.loopback = loopback;
    this.channelMax = config.channelMax();
  }

  /** The protocol header was accepted: send connection.start. */
  void start() {
    // the TLS handshake is over once the protocol header came through it: the peer is known
    String mechanisms = ExternalLogin.offered(connectionContext().pipeline(), config)
        ? Sasl.MECHANISMS + " " + ExternalLogin.MECHANISM : Sasl.MECHANISMS;
    connection.writeMethod(0, new ConnectionStart(0, 9, serverProperties(),
        LongString.of(mechanisms), LongString.of("en_US")));
  }

  /**
   * RabbitMQ 3.13.7's server properties (rabbit_reader, server_properties and
   * server_capabilities): the same keys, every value a longstr, the capabilities a table of
   * booleans, in RabbitMQ's (sorted) order. {@code version} is the RabbitMQ release WarrenMQ
   * follows, so clients that gate on it take that release's paths; {@code product} stays WarrenMQ
   * and WarrenMQ's own version is {@code warren_version}.
   */
  private FieldTable serverProperties() {
    Map<String, Object> caps = new LinkedHashMap<>();
    for (String c : new String[] {"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
        "consumer_cancel_notify", "connection.blocked", "consumer_priorities", "authentication_failure_close",
        "per_consumer_qos", "direct_reply_to"}) {
      caps.put(c, true);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("capabilities", FieldTable.of(caps));
    p.put("cluster_name", "warren@" + hostName());
    p.put("copyright", "Copyright (c) 2026 the WarrenMQ authors");
    p.put("information", "WarrenMQ, an AMQP 0-9-1 broker; see the README");
    p.put("platform", "Java " + Runtime.version().feature());
    p.put("product", "WarrenMQ");
    p.put("version", Compatibility.RABBITMQ_VERSION);
    p.put("warren_version", Version.get());
    return FieldTable.of(p);
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    return h == null || h.isEmpty() ? "localhost" : h;
  }

  /**
   * Handles a handshake frame; returns true once connection.open was accepted. The caller then
   * registers the connection and sends open-ok ({@link #sendOpenOk}), so that a client that has
   * its open-ok is already found by whatever closes the vhost's or the user's connections.
   */
  boolean handle(Frame frame) {
    if (frame instanceof HeartbeatFrame) {
      return false; // RabbitMQ ignores heartbeats on channel 0 in every state
    }
    if (!(frame instanceof MethodFrame mf) || frame.channel() != 0) {
      ReferenceCountUtil.release(frame);
      throw AmqpException.connectionError(ReplyCode.UNEXPECTED_FRAME, "%s during the handshake", frame);
    }
    Method m = mf.method();
    try {
      switch (step) {
        case START_OK -> {
          if (!(m instanceof ConnectionStartOk s)) {
            throw unexpected();
          }
          startOk(s);
        }
        case TUNE_OK -> {
          if (!(m instanceof ConnectionTuneOk t)) {
            throw unexpected();
          }
          tuneOk(t);
        }
        case OPEN -> {
          if (!(m instanceof ConnectionOpen o)) {
            throw unexpected();
          }
          open(o);
          return true;
        }
        case DONE -> throw unexpected();
      }
    } catch (AmqpException e) {
      // the refused login keeps 0/0, as RabbitMQ's first close does (rabbit_reader auth_fail)
      boolean login = step == Step.START_OK && e.replyCode() == ReplyCode.ACCESS_REFUSED;
      throw e.classId() != 0 || login ? e : e.withMethod(m.classId(), m.methodId());
    }
    return false;
  }

  /** RabbitMQ's text for a method out of place, naming its connection_state. */
  private AmqpException unexpected() {
    return AmqpException.connectionError(ReplyCode.CHANNEL_ERROR, "unexpected method in connection state %s",
        stateName());
  }

  /** RabbitMQ's connection_state for this step of the handshake. */
  String stateName() {
    return switch (step) {
      case START_OK -> "starting";
      case TUNE_OK -> "tuning";
      case OPEN -> "opening";
      case DONE -> "running";
    };
  }

  /**
   * Whether a handshake error is answered with connection.close before the socket closes. RabbitMQ
   * (rabbit_reader, handle_exception) does so only for a refused login when the client announced
   * {@code authentication_failure_close}, for a failed tune negotiation (530), and for any error
   * once tune-ok is in (connection.open); other handshake errors just close the socket, since the
   * peer is not trusted yet.
   */
  boolean answersWithClose(AmqpException e) {
    return switch (step) {
      case START_OK ->
          e.replyCode() == ReplyCode.ACCESS_REFUSED && capability("authentication_failure_close");
      case TUNE_OK -> e.replyCode() == ReplyCode.NOT_ALLOWED;
      case OPEN, DONE -> true;
    };
  }

  private void startOk(ConnectionStartOk s) {
    if (loginPending) {
      throw unexpected();
    }
    clientProperties = s.clientProperties();
    mechanism = s.mechanism();
    if (s.mechanism().equals(ExternalLogin.MECHANISM)) {
      // the client certificate's name, checked by the TLS handshake: no backend is asked
      loggedIn(ExternalLogin.login(connectionContext().pipeline(), config, broker, loopback));
      return;
    }
    Sasl.Credentials c = Sasl.parse(s.mechanism(), s.response());
    if (broker.users().backends().isEmpty()) {
      loggedIn(broker.users().authenticate(c.user(), c.password(), s.mechanism(), loopback));
      return;
    }
    // a backend chain may reach out (OAuth 2 fetching a JWKS): never on the event loop. The
    // result comes back on it; the client waits for connection.tune meanwhile
    loginPending = true;
    EventExecutor loop = connection.context().executor();
    String m = s.mechanism();
    Thread.ofVirtual().name("login " + connection.name()).start(() -> {
      User u = null;
      RuntimeException error = null;
      try {
        u = broker.users().login(c.user(), c.password(), m, loopback);
      } catch (RuntimeException e) {
        error = e;
      }
      User result = u;
      RuntimeException failure = error;
      loop.execute(() -> connection.credential().loginCompleted(result, failure));
    });
  }

  /** The login of start-ok succeeded: connection.tune goes out. */
  void loggedIn(User u) {
    loginPending = false;
    user = u;
    step = Step.TUNE_OK;
    connection.writeMethod(0, new ConnectionTune(config.channelMax(), config.frameMax(), config.heartbeat()));
  }

  private void tuneOk(ConnectionTuneOk t) {
    long fm = t.frameMax();
    negotiated("frame_max", AmqpConstants.FRAME_MIN_SIZE, config.frameMax(), fm);
    negotiated("channel_max", 1, config.channelMax(), t.channelMax());
    frameMax = (int) fm;
    channelMax = t.channelMax();
    heartbeat = t.heartbeat();
    ChannelHandlerContext ctx = connectionContext();
    if (ctx.pipeline().get(ProtocolHeaderDecoder.FRAME_DECODER_NAME) instanceof FrameDecoder d) {
      d.setMaxFrameSize(frameMax);
    }
    if (heartbeat > 0) {
      // send one every half interval; two silent intervals from the client close it (spec 4.2.7)
      ctx.pipeline().addBefore(ctx.name(), "heartbeat", new HeartbeatHandler(heartbeat));
    }
    step = Step.OPEN;
  }

  /**
   * RabbitMQ's check of a tune-ok value (rabbit_reader, validate_negotiated_integer_value): at
   * least the minimum unless 0, and never above the server's maximum; 0 ("no limit") counts as
   * above it, since the server announced a limit. The error names connection.tune, as RabbitMQ's.
   */
  private static void negotiated(String field, long min, long serverMax, long client) {
    String detail = field.equals("channel_max") && client == 0 ? " (no limit)" : "";
    if (client != 0 && client < min) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "negotiated %s = %d%s is lower than the minimum allowed value (%d)", field, client, detail, min)
          .withMethod(10, 30);
    }
    if (client == 0 || client > serverMax) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "negotiated %s = %d%s is higher than the maximum allowed value (%d)", field, client, detail, serverMax)
          .withMethod(10, 30);
    }
  }

  private ChannelHandlerContext connectionContext() {
    return connection.context();
  }

  private void open(ConnectionOpen o) {
    String name = o.virtualHost();
    VirtualHost vh = broker.vhost(name);
    if (vh == null) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED, "vhost %s not found", name);
    }
    User u = user;
    if (u == null) {
      throw new IllegalStateException("open before authentication");
    }
    // RabbitMQ's order: the vhost's and the user's connection limits, then the permission
    broker.connectionLimits().checkOpen(vh, u.name());
    broker.users().checkVhostAccess(u, name);
    vhost = vh;
    step = Step.DONE;
  }

  void sendOpenOk() {
    connection.writeMethod(0, new ConnectionOpenOk());
  }

  /**
   * connection.update-secret (rabbit_reader, handle_method0), first half: the user the new secret
   * makes of the current one. Password users have no expiring credential, so, as RabbitMQ's
   * internal backend does, the secret is accepted as it is; a token user gets the new token's
   * user, or 530 "New secret was refused by one of the backends" (an invalid or expired token, or
   * one naming another user). May block (a JWKS fetch) for a token user: see {@link
   * #needsOffloop}.
   */
  User refreshed(ConnectionUpdateSecret u) {
    User current = user;
    if (current == null || vhost == null) {
      throw new IllegalStateException("update-secret before connection.open");
    }
    try {
      return broker.users().refresh(current, u.newSecret().toString());
    } catch (AuthBackend.SecretRefused e) {
      log.error("Secret update was refused for user '{}': {}", current.name(), e.getMessage());
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED, "New secret was refused by one of the backends")
          .withMethod(u.classId(), u.methodId());
    }
  }

  /** Whether {@link #refreshed} may block: the user came from a credential-bearing backend. */
  boolean needsOffloop() {
    User current = user;
    return current != null && current.credential() != null;
  }

  /**
   * Second half, on the event loop: vhost access is checked again for the new user (530 if it was
   * revoked meanwhile), then it is the connection's user, whose scopes the channels see from
   * their next check on.
   */
  void applySecret(ConnectionUpdateSecret u, User next) {
    VirtualHost vh = vhost;
    if (vh == null) {
      throw new IllegalStateException("update-secret before connection.open");
    }
    try {
      broker.users().checkVhostAccess(next, vh.name());
    } catch (AmqpException e) {
      throw e.withMethod(u.classId(), u.methodId());
    }
    if (next != user) {
      log.info("connection {}: user '{}' updated secret, reason: {}", connection.name(), next.name(), u.reason());
    }
    user = next;
  }

  int frameMax() {
    return frameMax;
  }

  /** Whether tune-ok came in (the heartbeat interval is negotiated). */
  boolean tuned() {
    return step == Step.OPEN || step == Step.DONE;
  }

  int channelMax() {
    return channelMax;
  }

  int heartbeat() {
    return heartbeat;
  }

  @Nullable User user() {
    return user;
  }

  @Nullable VirtualHost vhost() {
    return vhost;
  }

  /** Whether the client announced {@code name} in its capabilities (client-properties). */
  boolean capability(String name) {
    FieldTable caps = clientProperties.getTable("capabilities");
    return caps != null && Boolean.TRUE.equals(caps.getBoolean(name));
  }

  /** The client-properties of start-ok (empty before). */
  FieldTable clientProperties() {
    return clientProperties;
  }

  /** The SASL mechanism of start-ok ("" before). */
  String mechanism() {
    return mechanism;
  }

  String clientName() {
    String n = clientProperties.getString("connection_name");
    if (n == null) {
      n = clientProperties.getString("product");
    }
    return n == null ? "" : n;
  }
}
