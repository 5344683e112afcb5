package io.warrenmq.server.config;

import io.warrenmq.cluster.ClusterSettings;
import org.jspecify.annotations.Nullable;

import io.warrenmq.broker.ResourceLimits.DiskFreeLimit;
import io.warrenmq.broker.ResourceLimits.MemoryWatermark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The broker's configuration, immutable. Built by {@link ConfigLoader}; every field has a key
 * documented in docs/configuration.md.
 *
 * @param bind the addresses the AMQP listener binds to, comma-separated (see {@link #bindAddresses()})
 * @param port AMQP port (0 = pick a free one)
 * @param dataDir root of all durable state
 * @param frameMax largest frame offered in connection.tune, header and end byte included
 * @param channelMax highest channel number offered in connection.tune
 * @param heartbeat heartbeat interval offered in connection.tune, seconds (0 = none)
 * @param maxMessageSize largest message body accepted, bytes
 * @param handshakeTimeoutMs time a client gets to complete the handshake
 * @param segmentSize size of a queue's segment files, bytes
 * @param defaultUser user created on first boot
 * @param defaultPass its password
 * @param defaultVhost vhost created on first boot
 * @param loopbackUsers users that may connect from loopback addresses only
 * @param consumersPerChannel most consumers one channel may have
 * @param ctlSocket path of the control socket (warrenctl)
 * @param managementIp address the management HTTP listener binds to
 * @param managementPort its port; 0 = no management listener
 * @param loadDefinitions a definitions file, or a directory of them, imported at boot after recovery
 *     (RabbitMQ's {@code load_definitions}); "" for none
 * @param prometheusIp address the Prometheus HTTP listener binds to
 * @param prometheusPort its port; 0 = no Prometheus listener
 * @param collectStatisticsIntervalMs milliseconds between two samples of the message rates
 * @param log where and how the broker logs
 * @param auth the auth backend chain and the OAuth 2 settings (auth_backends.N, auth_oauth2.*)
 * @param memoryWatermark the memory alarm's threshold at boot ({@code vm_memory_high_watermark.*})
 * @param diskFreeLimit the disk alarm's limit at boot ({@code disk_free_limit.*})
 * @param memoryMonitorIntervalMs milliseconds between two checks of memory and free disk space
 * @param tls the TLS listeners and their options (docs/tls.md)
 * @param connectionMax most AMQP connections on the node ({@code connection_max}), -1 for no limit
 * @param proxyProtocol whether AMQP connections start with a PROXY protocol header, and from where
 * @param tcp the AMQP listeners' socket options ({@code tcp_listen_options.*})
 * @param plainListener whether the plain AMQP listener runs ({@code listeners.tcp = none}: AMQPS only)
 * @param cluster this node's part in a cluster (docs/clustering.md); null for a single node
 * @param nodeName this node's name ({@code node_name}, default warren@HOST)
 */
public record BrokerConfig(
    String bind,
    int port,
    Path dataDir,
    int frameMax,
    int channelMax,
    int heartbeat,
    long maxMessageSize,
    int handshakeTimeoutMs,
    int segmentSize,
    String defaultUser,
    String defaultPass,
    String defaultVhost,
    Set<String> loopbackUsers,
    int consumersPerChannel,
    Path ctlSocket,
    String managementIp,
    int managementPort,
    String loadDefinitions,
    String prometheusIp,
    int prometheusPort,
    int collectStatisticsIntervalMs,
    LogSettings log,
    AuthConfig auth,
    MemoryWatermark memoryWatermark,
    DiskFreeLimit diskFreeLimit,
    int memoryMonitorIntervalMs,
    TlsConfig tls,
    int connectionMax,
    ProxyProtocolConfig proxyProtocol,
    TcpListenOptions tcp,
    boolean plainListener,
    @Nullable ClusterSettings cluster,
    String nodeName) {
  /**
   * The default of {@code bind}: IPv4 and IPv6 loopback, as RabbitMQ listens on both families.
   * With this default (only), {@code ::1} is left out with a warning on a host without an IPv6
   * loopback address.
   */
  public static final String DEFAULT_BIND = "127.0.0.1,::1";

  /**
   * The addresses of {@code bind}, in order: IP literals or host names, an IPv6 literal with or
   * without brackets ({@code ::1} or {@code [::1]}).
   */
  public List<String> bindAddresses() {
    return parseBind(bind);
  }

  static List<String> parseBind(String bind) {
    return Arrays.stream(bind.split(","))
        .map(String::strip)
        .map(a -> a.length() > 1 && a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a)
        .filter(a -> !a.isEmpty())
        .toList();
  }
}
