package io.warrenmq.server.config;

import io.warrenmq.server.config.ConfigLoader.ConfigException;
import io.warrenmq.server.config.ConfigLoader.Key;
import java.util.List;
import java.util.Map;

/**
 * Socket options of the AMQP and AMQPS listeners and their connections: RabbitMQ's
 * {@code tcp_listen_options.*} keys (backlog, nodelay, keepalive, sndbuf, recbuf), and WarrenMQ's
 * own {@code tcp_listen_options.notsent_lowat} (Linux's TCP_NOTSENT_LOWAT): how many bytes not yet
 * sent the kernel holds for a connection before the broker stops writing to it. Keeping that small
 * leaves the deliveries a slow consumer has not taken in the queue rather than in the kernel, which
 * on loopback under BBR also avoids a retransmission stall (docs/benchmarks.md).
 *
 * @param backlog the listening socket's accept queue
 * @param nodelay TCP_NODELAY on connections (Nagle off)
 * @param keepalive SO_KEEPALIVE on connections
 * @param sndbuf SO_SNDBUF in bytes, 0 = the kernel's autotuning
 * @param recbuf SO_RCVBUF in bytes, 0 = the kernel's autotuning
 * @param notsentLowat TCP_NOTSENT_LOWAT in bytes, 0 = the kernel's default (Linux with epoll only)
 */
public record TcpListenOptions(int backlog, boolean nodelay, boolean keepalive, int sndbuf, int recbuf, int notsentLowat) {
  public static final TcpListenOptions DEFAULTS = new TcpListenOptions(1024, true, true, 0, 0, 131072);

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
      Key.rabbit("tcp_listen_options.notsent_lowat", "tcp-notsent-lowat", "131072",
          "TCP_NOTSENT_LOWAT of AMQP connections in bytes (Linux): unsent bytes the kernel holds before the"
              + " broker stops writing; 0 leaves the kernel's default"));

  static TcpListenOptions from(Map<String, String> v) {
    return new TcpListenOptions(
        ConfigLoader.intValue(v, "tcp_listen_options.backlog", 1, 65535),
        bool(v, "tcp_listen_options.nodelay"),
        bool(v, "tcp_listen_options.keepalive"),
        optionalBytes(v, "tcp_listen_options.sndbuf"),
        optionalBytes(v, "tcp_listen_options.recbuf"),
        ConfigLoader.intValue(v, "tcp_listen_options.notsent_lowat", 0, Integer.MAX_VALUE));
  }

  private static boolean bool(Map<String, String> v, String key) {
    return switch (v.get(key).strip()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException("configuration key '" + key + "' must be true or false, got '" + v.get(key) + "'");
    };
  }

  private static int optionalBytes(Map<String, String> v, String key) {
    return v.get(key).isBlank() ? 0 : ConfigLoader.intValue(v, key, 1024, Integer.MAX_VALUE);
  }
}
