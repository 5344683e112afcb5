package io.warrenmq.it.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.AmqpConstants;
import io.warrenmq.amqp.content.BasicProperties;
import io.warrenmq.amqp.frame.Frames;
import io.warrenmq.amqp.method.ChannelOpen;
import io.warrenmq.amqp.method.ChannelOpenOk;
import io.warrenmq.amqp.method.ConnectionClose;
import io.warrenmq.amqp.method.ConnectionOpen;
import io.warrenmq.amqp.method.ConnectionOpenOk;
import io.warrenmq.amqp.method.ConnectionStart;
import io.warrenmq.amqp.method.ConnectionStartOk;
import io.warrenmq.amqp.method.ConnectionTune;
import io.warrenmq.amqp.method.ConnectionTuneOk;
import io.warrenmq.amqp.method.Method;
import io.warrenmq.amqp.method.MethodCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A bare AMQP 0-9-1 peer over a plain socket, for tests that must send what no well-behaved client
 * sends: frames that are too large, bad frame-end octets, unknown frame types, content out of order.
 * Methods are encoded and decoded with warren-amqp's {@link MethodCodec} (itself tested against the
 * official client). Every read is bounded by the socket timeout (5 s unless changed).
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class RawAmqp implements AutoCloseable {
  /** One frame as read from the wire. */
  public record RawFrame(int type, int channel, byte[] payload) {
    public boolean isHeartbeat() {
      return type == AmqpConstants.FRAME_HEARTBEAT;
    }

    /** Decodes a method frame. */
    public Method method() {
      if (type != AmqpConstants.FRAME_METHOD) {
        throw new AssertionError("expected a method frame, got type " + type + " on channel " + channel);
      }
      return MethodCodec.decode(Unpooled.wrappedBuffer(payload));
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private ConnectionTune tune;

  private RawAmqp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to the broker on loopback; nothing is sent yet. */
  public static RawAmqp connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(5000);
    s.setTcpNoDelay(true);
    return new RawAmqp(s);
  }

  /** Connects and completes the handshake as guest on vhost / with the given tune-ok values. */
  public static RawAmqp open(int port, int channelMax, int frameMax, int heartbeat) throws IOException {
    RawAmqp raw = connect(port);
    raw.sendProtocolHeader();
    raw.startOk("PLAIN", plain("guest", "guest"));
    raw.tune = raw.expect(ConnectionTune.class);
    raw.sendMethod(0, new ConnectionTuneOk(channelMax, frameMax, heartbeat));
    raw.sendMethod(0, new ConnectionOpen("/"));
    raw.expect(ConnectionOpenOk.class);
    return raw;
  }

  /** {@link #open(int, int, int, int)} with channel-max 2047, frame-max 4096, no heartbeats. */
  public static RawAmqp open(int port) throws IOException {
    return open(port, 2047, AmqpConstants.FRAME_MIN_SIZE, 0);
  }

  /** The connection.tune the broker sent during {@link #open}. */
  public ConnectionTune tune() {
    return tune;
  }

  /** The SASL PLAIN response: authzid NUL user NUL password. */
  public static LongString plain(String user, String password) {
    return LongString.of("\0" + user + "\0" + password);
  }

  /** Sends {@code "AMQP" 0 0 9 1}. */
  public void sendProtocolHeader() throws IOException {
    send(AmqpConstants.protocolHeader());
  }

  /** Reads connection.start and answers start-ok with {@code mechanism} and {@code response}. */
  public ConnectionStart startOk(String mechanism, LongString response) throws IOException {
    ConnectionStart start = expect(ConnectionStart.class);
    FieldTable caps = FieldTable.of(Map.of("authentication_failure_close", true));
    sendMethod(0, new ConnectionStartOk(FieldTable.of(Map.of("product", "RawAmqp", "capabilities", caps)),
        mechanism, response, "en_US"));
    return start;
  }

  /** Sends channel.open on {@code channel} and waits for open-ok. */
  public void openChannel(int channel) throws IOException {
    sendMethod(channel, new ChannelOpen());
    RawFrame f = readFrame();
    if (f.channel() != channel || !(f.method() instanceof ChannelOpenOk)) {
      throw new AssertionError("expected channel.open-ok on " + channel + ", got " + describe(f));
    }
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void sendMethod(int channel, Method m) throws IOException {
    ByteBuf b = Unpooled.buffer();
    Frames.writeMethod(b, channel, m);
    sendBuf(b);
  }

  /** A content header frame for class basic announcing {@code bodySize}. */
  public void sendHeader(int channel, long bodySize) throws IOException {
    ByteBuf b = Unpooled.buffer();
    Frames.writeHeader(b, channel, bodySize, BasicProperties.EMPTY);
    sendBuf(b);
  }

  public void sendBody(int channel, byte[] body) throws IOException {
    sendFrame(AmqpConstants.FRAME_BODY, channel, body);
  }

  /** A frame with any type and payload, ended by 0xCE. */
  public void sendFrame(int type, int channel, byte[] payload) throws IOException {
    sendFrame(type, channel, payload, AmqpConstants.FRAME_END);
  }

  /** A frame with any type, payload and frame-end octet. */
  public void sendFrame(int type, int channel, byte[] payload, int frameEnd) throws IOException {
    ByteBuf b = Unpooled.buffer(payload.length + 8);
    b.writeByte(type).writeShort(channel).writeInt(payload.length).writeBytes(payload).writeByte(frameEnd);
    sendBuf(b);
  }

  /** A method frame whose payload is class id, method id and {@code arguments} as given. */
  public void sendRawMethod(int channel, int classId, int methodId, byte[] arguments) throws IOException {
    ByteBuf b = Unpooled.buffer();
    b.writeShort(classId).writeShort(methodId).writeBytes(arguments);
    sendFrame(AmqpConstants.FRAME_METHOD, channel, bytes(b));
  }

  /** The payload of a method frame encoding {@code m}. */
  public static byte[] methodPayload(Method m) {
    ByteBuf b = Unpooled.buffer();
    MethodCodec.encode(b, m);
    return bytes(b);
  }

  private void sendBuf(ByteBuf b) throws IOException {
    send(bytes(b));
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] a = new byte[b.readableBytes()];
    b.readBytes(a);
    return a;
  }

  /** Reads the next frame, heartbeats included. */
  public RawFrame readFrame() throws IOException {
    int type = in.readUnsignedByte();
    int channel = in.readUnsignedShort();
    int size = in.readInt();
    byte[] payload = new byte[size];
    in.readFully(payload);
    int end = in.readUnsignedByte();
    if (end != AmqpConstants.FRAME_END) {
      throw new AssertionError("broker sent frame-end " + end);
    }
    return new RawFrame(type, channel, payload);
  }

  /** Reads frames, skipping heartbeats, until a method arrives; returns it. */
  public Method readMethod() throws IOException {
    while (true) {
      RawFrame f = readFrame();
      if (!f.isHeartbeat()) {
        return f.method();
      }
    }
  }

  /** Reads the next method and checks its type. */
  public <T extends Method> T expect(Class<T> type) throws IOException {
    Method m = readMethod();
    if (!type.isInstance(m)) {
      throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
    }
    return type.cast(m);
  }

  /** Reads until connection.close arrives (heartbeats and other frames are skipped). */
  public ConnectionClose expectConnectionClose() throws IOException {
    while (true) {
      RawFrame f = readFrame();
      if (f.type() == AmqpConstants.FRAME_METHOD && f.method() instanceof ConnectionClose c) {
        return c;
      }
    }
  }

  /** The raw bytes the broker sends, until it closes the socket or {@code max} bytes arrived. */
  public byte[] readUpTo(int max) throws IOException {
    byte[] b = new byte[max];
    int n = 0;
    while (n < max) {
      int r = in.read(b, n, max - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return java.util.Arrays.copyOf(b, n);
  }

  /**
   * Reads and discards until the broker closes the socket; true if it did within {@code timeout},
   * false if the socket was still open then.
   */
  public boolean closedByBroker(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    socket.setSoTimeout(100);
    byte[] sink = new byte[4096];
    try {
      while (System.nanoTime() < deadline) {
        try {
          if (in.read(sink) < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          // nothing yet; keep waiting until the deadline
        } catch (SocketException e) {
          return true; // reset by the broker
        }
      }
      return false;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(5000);
      }
    }
  }

  /** How the broker's side of the socket ended, as the client sees it. */
  public enum Ending {
    /** A clean close: the broker's FIN, read as end of stream. */
    FIN,
    /** The connection was reset (ECONNRESET / EPIPE). */
    RESET,
    /** Still open when the wait ended. */
    OPEN
  }

  /**
   * Reads and discards until the broker's side ends or {@code timeout} passes, and tells how: a
   * clean FIN, a reset, or still open.
   */
  public Ending awaitEnd(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    socket.setSoTimeout(50);
    byte[] sink = new byte[4096];
    try {
      while (System.nanoTime() < deadline) {
        try {
          if (in.read(sink) < 0) {
            return Ending.FIN;
          }
        } catch (SocketTimeoutException e) {
          // nothing yet; keep waiting until the deadline
        } catch (SocketException e) {
          return Ending.RESET;
        }
      }
      return Ending.OPEN;
    } finally {
      socket.setSoTimeout(5000);
    }
  }

  /** Half-closes the socket: sends our FIN, keeps reading. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Whether a read now hits end of stream (the broker closed the socket). */
  public boolean atEof() throws IOException {
    try {
      return in.read() < 0;
    } catch (EOFException | SocketException e) {
      return true;
    }
  }

  public void setReadTimeout(Duration d) throws IOException {
    socket.setSoTimeout((int) d.toMillis());
  }

  public static String describe(RawFrame f) {
    if (f.type() == AmqpConstants.FRAME_METHOD) {
      return "channel " + f.channel() + ": " + f.method();
    }
    return "frame type " + f.type() + " on channel " + f.channel() + " ("
        + new String(f.payload(), StandardCharsets.ISO_8859_1) + ")";
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
