package io.warrenmq.server;

import io.warrenmq.broker.Broker;
import io.warrenmq.management.api.ManagementApi;
import io.warrenmq.management.api.ServerInfo;
import io.warrenmq.management.http.HttpListener;
import io.warrenmq.management.http.HttpService;
import io.warrenmq.management.metrics.MetricsEndpoint;
import io.warrenmq.management.stats.SampledStats;
import io.warrenmq.management.stats.StatsSampler;
import io.warrenmq.server.amqp.AddressNames;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.config.TlsConfig;
import io.warrenmq.server.config.TlsOptions;
import io.warrenmq.server.netty.AmqpServer;
import io.warrenmq.server.tls.TlsContext;
import io.warrenmq.server.tls.TlsContexts;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listeners beside the AMQP one, on the AMQP server's own event loops: the management
 * API and UI ({@code management.tcp.ip}:{@code management.tcp.port}) with the statistics sampler
 * its rates need, and the Prometheus endpoint ({@code prometheus.tcp.ip}:{@code
 * prometheus.tcp.port}); each is off when its port is 0. Each has an HTTPS twin on {@code
 * management.ssl.port} / {@code prometheus.ssl.port} (docs/tls.md), serving the same. Requests are handled on the broker's
 * blocking executor.
 */
final class HttpListeners implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpListeners.class);

  private final List<HttpListener> listeners = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private int managementPort;
  /** The HTTP listeners' bound addresses, by protocol name, for the API's listener facts. */
  private final List<ServerInfo.Listener> httpBound = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int prometheusPort;
  private int managementSslPort;
  private int prometheusSslPort;
  private @Nullable StatsSampler sampler;

  /** Starts what the configuration turns on; a listener that cannot bind stops the start. */
  static HttpListeners start(BrokerConfig config, Broker broker, AmqpServer amqp, TlsContexts tls)
      throws IOException, InterruptedException {
    HttpListeners h = new HttpListeners();
    try {
      TlsConfig t = config.tls();
      if (config.managementPort() > 0 || t.managementPort() > 0) {
        StatsSampler sampler = StatsSampler.start(broker, config.collectStatisticsIntervalMs());
        h.sampler = sampler;
        HttpService api = ManagementApi.service(broker, serverInfo(config, broker, amqp, h), new SampledStats(broker, sampler));
        if (config.managementPort() > 0) {
          h.managementPort = h.bind(listener("management", amqp, api, broker), config.managementIp(),
              config.managementPort(), "http", null);
        }
        TlsContext c = tls.management();
        if (t.managementPort() > 0 && c != null) {
          h.managementSslPort = h.bind(listener("management", amqp, api, broker).tls(c::newHandler), t.managementIp(),
              t.managementPort(), "https", c);
        }
      }
      if (config.prometheusPort() > 0 || t.prometheusPort() > 0) {
        HttpService metrics = MetricsEndpoint.service(broker, Version.get());
        if (config.prometheusPort() > 0) {
          h.prometheusPort = h.bind(listener("prometheus", amqp, metrics, broker), config.prometheusIp(),
              config.prometheusPort(), "http/prometheus", null);
        }
        TlsContext c = tls.prometheus();
        if (t.prometheusPort() > 0 && c != null) {
          h.prometheusSslPort = h.bind(listener("prometheus", amqp, metrics, broker).tls(c::newHandler),
              t.prometheusIp(), t.prometheusPort(), "https/prometheus", c);
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      h.close();
      throw e;
    }
    return h;
  }

  private static HttpListener listener(String name, AmqpServer amqp, HttpService service, Broker broker) {
    return new HttpListener(name, amqp.boss(), amqp.workers(), amqp.serverChannelType(), service,
        broker.blockingExecutor());
  }

  /**
   * What the management API reports of the server: WarrenMQ's version, the AMQP and HTTP
   * listeners, the resource alarms in effect.
   */
  private static ServerInfo serverInfo(BrokerConfig config, Broker broker, AmqpServer amqp, HttpListeners h) {
    return new ServerInfo(Version.get(), () -> {
      List<ServerInfo.Listener> all = new ArrayList<>();
      for (InetSocketAddress a : amqp.boundAddresses()) {
        all.add(new ServerInfo.Listener("amqp", AddressNames.ntoa(a.getAddress()), a.getPort()));
      }
      TlsOptions o = config.tls().amqp();
      for (InetSocketAddress a : amqp.boundTlsAddresses()) {
        all.add(new ServerInfo.Listener("amqp/ssl", AddressNames.ntoa(a.getAddress()), a.getPort(), o.certfile(),
            o.cacertfile()));
      }
      all.addAll(h.httpBound);
      return all;
    }, () -> broker.alarms().active().stream().map(r -> new ServerInfo.Alarm(r.rabbitName())).toList());
  }

  private int bind(HttpListener l, String ip, int port, String protocol, @Nullable TlsContext tls)
      throws IOException, InterruptedException {
    InetSocketAddress bound;
    try {
      bound = l.bind(new InetSocketAddress(ip, port));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // Netty throws the socket's BindException undeclared
      BindException named = new BindException("cannot listen on " + ip + ":" + port + " (" + l.name()
          + (tls == null ? "" : " over TLS") + "): " + e.getMessage());
      named.initCause(e);
      throw named;
    }
    listeners.add(l);
    String boundIp = AddressNames.ntoa(bound.getAddress());
    httpBound.add(tls == null ? new ServerInfo.Listener(protocol, boundIp, bound.getPort())
        : new ServerInfo.Listener(protocol, boundIp, bound.getPort(), tls.options().certfile(), tls.options().cacertfile()));
    String scheme = tls == null ? "http" : "https";
    names.add(l.name() + " " + scheme + " " + AddressNames.of(bound));
    log.info("{} listening on {}://{}/", l.name(), scheme, AddressNames.of(bound));
    return bound.getPort();
  }

  /** The management API's port, 0 if it is off. */
  int managementPort() {
    return managementPort;
  }

  /** The Prometheus endpoint's port, 0 if it is off. */
  int prometheusPort() {
    return prometheusPort;
  }

  /** The HTTPS management listener's port, 0 if it is off. */
  int managementSslPort() {
    return managementSslPort;
  }

  /** The HTTPS Prometheus listener's port, 0 if it is off. */
  int prometheusSslPort() {
    return prometheusSslPort;
  }

  /** "management [::1]:15672", ... for status lines. */
  List<String> names() {
    return names;
  }

  /** Stops accepting HTTP connections. */
  @Override
  public void close() {
    for (HttpListener l : listeners) {
      l.close();
    }
    listeners.clear();
    if (sampler != null) {
      sampler.close();
      sampler = null;
    }
  }
}
