package io.warrenmq.server.amqp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
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
import io.warrenmq.broker.auth.User;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.server.Version;
import io.warrenmq.server.config.BrokerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The connection handshake of AMQP 0-9-1 (2.2.4): start / start-ok with SASL, tune / tune-ok,
 * open / open-ok, with RabbitMQ's checks: credentials (403), frame-max and channel-max within the
 * server's limits (530), the vhost existing and permitted (530).
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class Handshake {
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
  private @Nullable User user;
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
    connection.writeMethod(0, new ConnectionStart(0, 9, serverProperties(),
        LongString.of(Sasl.MECHANISMS), LongString.of("en_US")));
  }

  private FieldTable serverProperties() {
    Map<String, Object> caps = new LinkedHashMap<>();
    for (String c : new String[] {"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
        "consumer_cancel_notify", "connection.blocked", "authentication_failure_close", "per_consumer_qos"}) {
      caps.put(c, true);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("capabilities", FieldTable.of(caps));
    p.put("cluster_name", "warren@" + hostName());
    p.put("copyright", "Copyright (c) 2026 the WarrenMQ authors");
    p.put("information", "WarrenMQ, an AMQP 0-9-1 broker; see the README");
    p.put("platform", "Java " + Runtime.version().feature());
    p.put("product", "WarrenMQ");
    p.put("version", Version.get());
    return FieldTable.of(p);
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    return h == null || h.isEmpty() ? "localhost" : h;
  }

  /** Handles a handshake frame; returns true once connection.open-ok was sent. */
  boolean handle(Frame frame) {
    if (frame instanceof HeartbeatFrame && step != Step.START_OK) {
      return false;
    }
    if (!(frame instanceof MethodFrame mf) || frame.channel() != 0) {
      ReferenceCountUtil.release(frame);
      throw unexpected(frame.toString());
    }
    Method m = mf.method();
    switch (step) {
      case START_OK -> {
        if (!(m instanceof ConnectionStartOk s)) {
          throw unexpected(m.name());
        }
        startOk(s);
      }
      case TUNE_OK -> {
        if (!(m instanceof ConnectionTuneOk t)) {
          throw unexpected(m.name());
        }
        tuneOk(t);
      }
      case OPEN -> {
        if (!(m instanceof ConnectionOpen o)) {
          throw unexpected(m.name());
        }
        open(o);
        return true;
      }
      case DONE -> throw unexpected(m.name());
    }
    return false;
  }

  private AmqpException unexpected(String what) {
    return AmqpException.connectionError(ReplyCode.COMMAND_INVALID,
        "expected connection.%s during the handshake, got %s", step.name().toLowerCase().replace('_', '-'), what);
  }

  private void startOk(ConnectionStartOk s) {
    clientProperties = s.clientProperties();
    Sasl.Credentials c = Sasl.parse(s.mechanism(), s.response());
    user = broker.users().authenticate(c.user(), c.password(), s.mechanism(), loopback);
    step = Step.TUNE_OK;
    connection.writeMethod(0, new ConnectionTune(config.channelMax(), config.frameMax(), config.heartbeat()));
  }

  private void tuneOk(ConnectionTuneOk t) {
    long fm = t.frameMax();
    if (fm != 0 && fm < AmqpConstants.FRAME_MIN_SIZE) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "frame_max=%d < %d min size", fm, AmqpConstants.FRAME_MIN_SIZE);
    }
    if (fm > config.frameMax()) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "frame_max=%d > %d max size", fm, config.frameMax());
    }
    if (t.channelMax() > config.channelMax()) {
      throw AmqpException.connectionError(ReplyCode.NOT_ALLOWED,
          "channel_max=%d > %d max", t.channelMax(), config.channelMax());
    }
    frameMax = fm == 0 ? config.frameMax() : (int) fm;
    channelMax = t.channelMax() == 0 ? config.channelMax() : t.channelMax();
    heartbeat = t.heartbeat();
    ChannelHandlerContext ctx = connectionContext();
    if (ctx.pipeline().get(ProtocolHeaderDecoder.FRAME_DECODER_NAME) instanceof FrameDecoder d) {
      d.setMaxFrameSize(frameMax);
    }
    if (heartbeat > 0) {
      // send one every half interval; two silent intervals from the client close it (spec 4.2.7)
      long ms = heartbeat * 1000L;
      ctx.pipeline().addBefore(ctx.name(), "heartbeat",
          new IdleStateHandler(2 * ms, Math.max(250, ms / 2), 0, TimeUnit.MILLISECONDS));
    }
    step = Step.OPEN;
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
    broker.users().checkVhostAccess(u, name);
    vhost = vh;
    step = Step.DONE;
    connection.writeMethod(0, new ConnectionOpenOk());
  }

  /** connection.update-secret: for password logins the new secret must be the user's password. */
  void updateSecret(ConnectionUpdateSecret u) {
    User current = user;
    if (current != null && !current.checkPassword(u.newSecret().toString())) {
      throw AmqpException.connectionError(ReplyCode.ACCESS_REFUSED, "new secret was refused for user '%s'",
          current.name());
    }
  }

  int frameMax() {
    return frameMax;
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

  String clientName() {
    String n = clientProperties.getString("connection_name");
    if (n == null) {
      n = clientProperties.getString("product");
    }
    return n == null ? "" : n;
  }
}
