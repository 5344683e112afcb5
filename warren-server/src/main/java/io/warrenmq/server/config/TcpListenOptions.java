package io.warrenmq.server.config;

import io.warrenmq.server.config.ConfigLoader.ConfigException;
import io.warrenmq.server.config.ConfigLoader.Key;
import java.util.List;
import java.util.Map;

/**
 * Socket options of the AMQP and AMQPS listeners and their connections: RabbitMQ's
 * {@code tcp_listen_options.*} keys (backlog, nodelay, keepalive, sndbuf, recbuf), and WarrenMQ's
 * own {@code tcp_listen_options.mss} (TCP_MAXSEG on the listening sockets, so on every connection:
 * the largest segment the broker sends and asks for) and {@code tcp_listen_options.notsent_lowat}
 * (TCP_NOTSENT_LOWAT: the bytes not yet sent the kernel holds for a connection before the broker
 * stops writing to it), both Linux only. The segment size matters on loopback alone, whose 64 KiB
 * segments are larger than the 64,896-byte window a consumer's socket can get stuck at: the client
 * then acknowledges each window only when its 200 ms delayed-ACK timer fires, and deliveries crawl
 * at a window per 200 ms (docs/benchmarks.md). Real networks' segments (1,448 bytes at MTU 1500,
 * 8,948 with jumbo frames) are below it and unchanged.
 *
 * @param backlog the listening socket's accept queue
 * @param nodelay TCP_NODELAY on connections (Nagle off)
 * @param keepalive SO_KEEPALIVE on connections
 * @param sndbuf SO_SNDBUF in bytes, 0 = the kernel's autotuning
 * @param recbuf SO_RCVBUF in bytes, 0 = the kernel's autotuning
 * @param mss TCP_MAXSEG of the listening sockets in bytes, 0 = the interface's (Linux with epoll only)
 * @param notsentLowat TCP_NOTSENT_LOWAT in bytes, 0 = the kernel's default (Linux with epoll only)
 */
public record TcpListenOptions(int backlog, boolean nodelay, boolean keepalive, int sndbuf, int recbuf, int mss,
    int notsentLowat) {
  public static final TcpListenOptions DEFAULTS = new TcpListenOptions(1024, true, true, 0, 0, 16384, 0);

  static final List<Key> KEYS = List.of(
      Key.rabbit("tcp_listen_options.backlog", "tcp-backlog", "1024",
          "accept queue of the AMQP listening sockets (RabbitMQ's key; its default is 128)"),
      Key.rabbit("tcp_listen_options.nodelay", "tcp-nodelay", "true", "TCP_NODELAY on AMQP connections (RabbitMQ's key)"),
      Key.rabbit("tcp_listen_options.keepalive", "tcp-keepalive", "true",
          "TCP keepalive on AMQP connections (RabbitMQ's key; its default is false)"),
      Key.rabbit("tcp_listen_options.sndbuf", "tcp-sndbuf", "",
          "SO_SNDBUF of AMQP connections in bytes (RabbitMQ's key); unset: the kernel tunes it"),
      Key.rabbit("tcp_listen_options.recbuf", "tcp-recbuf", "",
          "SO_RCVBUF of AMQP connections in bytes (RabbitMQ's key); unset: the kernel tunes it"),
      Key.rabbit("tcp_listen_options.mss", "tcp-mss", "16384",
          "largest TCP segment of AMQP connections in bytes (TCP_MAXSEG, Linux); only loopback and jumbo-frame"
              + " interfaces have larger ones. 0 leaves the interface's"),
      Key.rabbit("tcp_listen_options.notsent_lowat", "tcp-notsent-lowat", "0",
          "TCP_NOTSENT_LOWAT of AMQP connections in bytes (Linux): unsent bytes the kernel holds before the"
              + " broker stops writing; 0 leaves the kernel's default (no limit)"));

  static TcpListenOptions from(Map<String, String> v) {
    return new TcpListenOptions(
        ConfigLoader.intValue(v, "tcp_listen_options.backlog", 1, 65535),
        ConfigLoader.boolValue(v, "tcp_listen_options.nodelay"),
        ConfigLoader.boolValue(v, "tcp_listen_options.keepalive"),
        optionalBytes(v, "tcp_listen_options.sndbuf"),
        optionalBytes(v, "tcp_listen_options.recbuf"),
        mss(v),
        ConfigLoader.intValue(v, "tcp_listen_options.notsent_lowat", 0, Integer.MAX_VALUE));
  }

  private static int mss(Map<String, String> v) {
    int n = ConfigLoader.intValue(v, "tcp_listen_options.mss", 0, 65535);
    if (n != 0 && n < 536) {
      throw new ConfigException("configuration key 'tcp_listen_options.mss' must be 0 or between 536 and 65535, got " + n);
    }
    return n;
  }

  private static int optionalBytes(Map<String, String> v, String key) {
    return v.get(key).isBlank() ? 0 : ConfigLoader.intValue(v, key, 1024, Integer.MAX_VALUE);
  }
}
