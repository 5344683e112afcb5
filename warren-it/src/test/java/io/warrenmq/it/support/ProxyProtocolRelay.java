package io.warrenmq.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for a load balancer that speaks the PROXY protocol (HAProxy's
 * {@code send-proxy}, an AWS NLB): it listens on a free loopback port, and for every client it
 * connects to the broker (from {@code from} when given), writes {@code header}, then copies bytes
 * both ways until either side closes. Clients connect to {@link #port()} unchanged, AMQP or AMQPS
 * alike. The headers are built here by the specification
 * (https://www.haproxy.org/download/3.0/doc/proxy-protocol.txt), not with Netty's encoder, so that
 * the broker's decoder is checked against the text.
 *
 * <p>Threading: one virtual thread accepts, two per connection copy; {@link #close} ends them all.
 */
public final class ProxyProtocolRelay implements AutoCloseable {
  private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  private final ServerSocket listener;
  private final int brokerPort;
  private final @Nullable InetAddress from;
  private final byte[] header;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Relays to the broker's {@code brokerPort} on 127.0.0.1, connecting from {@code from} (null: any). */
  public ProxyProtocolRelay(int brokerPort, @Nullable InetAddress from, byte[] header) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.brokerPort = brokerPort;
    this.from = from;
    this.header = header.clone();
    Thread.ofVirtual().name("proxy-relay-accept").start(this::accept);
  }

  public ProxyProtocolRelay(int brokerPort, byte[] header) throws IOException {
    this(brokerPort, null, header);
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      Socket broker = new Socket();
      sockets.add(broker);
      try {
        if (from != null) {
          broker.bind(new InetSocketAddress(from, 0));
        }
        broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort), 5000);
        broker.getOutputStream().write(header);
        broker.getOutputStream().flush();
      } catch (IOException e) {
        closeQuietly(client); // the broker is not there: the client sees its socket closed
        closeQuietly(broker);
        continue;
      }
      Thread.ofVirtual().start(() -> copy(client, broker));
      Thread.ofVirtual().start(() -> copy(broker, client));
    }
  }

  private static void copy(Socket in, Socket out) {
    try (in; out) {
      InputStream is = in.getInputStream();
      OutputStream os = out.getOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = is.read(buf)) >= 0; ) {
        os.write(buf, 0, n);
        os.flush();
      }
    } catch (IOException e) {
      // either side went away; closing both tells the other
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing left to tell
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }

  /** A v1 header: {@code PROXY TCP4|TCP6 src dst srcport dstport\r\n}. */
  public static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
    String family = source.getAddress() instanceof Inet4Address ? "TCP4" : "TCP6";
    return ("PROXY " + family + " " + source.getAddress().getHostAddress() + " "
        + destination.getAddress().getHostAddress() + " " + source.getPort() + " " + destination.getPort() + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A v2 header with the PROXY command, TCP over IPv4 or IPv6 (section 2.2). */
  public static byte[] v2(InetSocketAddress source, InetSocketAddress destination) {
    boolean ipv4 = source.getAddress() instanceof Inet4Address;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(V2_SIGNATURE);
    b.write(0x21); // version 2, PROXY
    b.write(ipv4 ? 0x11 : 0x21); // AF_INET or AF_INET6, STREAM
    int length = ipv4 ? 12 : 36;
    b.write(length >> 8);
    b.write(length & 0xff);
    b.writeBytes(source.getAddress().getAddress());
    b.writeBytes(destination.getAddress().getAddress());
    for (int port : new int[] {source.getPort(), destination.getPort()}) {
      b.write(port >> 8);
      b.write(port & 0xff);
    }
    return b.toByteArray();
  }

  /** A v2 header with the LOCAL command: the balancer's own connection (a health check). */
  public static byte[] v2Local() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(V2_SIGNATURE);
    b.write(0x20); // version 2, LOCAL
    b.write(0x00); // AF_UNSPEC
    b.write(0);
    b.write(0);
    return b.toByteArray();
  }
}
