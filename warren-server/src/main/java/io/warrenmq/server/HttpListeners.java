package io.warrenmq.server;

import io.warrenmq.broker.Broker;
import io.warrenmq.management.api.ManagementApi;
import io.warrenmq.management.api.ServerInfo;
import io.warrenmq.management.http.HttpListener;
import io.warrenmq.management.metrics.MetricsEndpoint;
import io.warrenmq.management.stats.SampledStats;
import io.warrenmq.management.stats.StatsSampler;
import io.warrenmq.server.amqp.AddressNames;
import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.netty.AmqpServer;
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
 * prometheus.tcp.port}); each is off when its port is 0. Requests are handled on the broker's
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
  private @Nullable StatsSampler sampler;

  /** Starts what the configuration turns on; a listener that cannot bind stops the start. */
  static HttpListeners start(BrokerConfig config, Broker broker, AmqpServer amqp)
      throws IOException, InterruptedException {
    HttpListeners h = new HttpListeners();
    try {
      if (config.managementPort() > 0) {
        StatsSampler sampler = StatsSampler.start(broker, config.collectStatisticsIntervalMs());
        h.sampler = sampler;
        HttpListener l = new HttpListener("management", amqp.boss(), amqp.workers(), amqp.serverChannelType(),
            ManagementApi.service(broker, serverInfo(broker, amqp, h), new SampledStats(broker, sampler)),
            broker.blockingExecutor());
        h.managementPort = h.bind(l, config.managementIp(), config.managementPort());
        h.httpBound.add(new ServerInfo.Listener("http", h.lastIp, h.managementPort));
      }
      if (config.prometheusPort() > 0) {
        HttpListener l = new HttpListener("prometheus", amqp.boss(), amqp.workers(), amqp.serverChannelType(),
            MetricsEndpoint.service(broker, Version.get()), broker.blockingExecutor());
        h.prometheusPort = h.bind(l, config.prometheusIp(), config.prometheusPort());
        h.httpBound.add(new ServerInfo.Listener("http/prometheus", h.lastIp, h.prometheusPort));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      h.close();
      throw e;
    }
    return h;
  }

  /**
   * What the management API reports of the server: WarrenMQ's version, the AMQP and HTTP
   * listeners, the resource alarms in effect.
   */
  private static ServerInfo serverInfo(Broker broker, AmqpServer amqp, HttpListeners h) {
    return new ServerInfo(Version.get(), () -> {
      List<ServerInfo.Listener> all = new ArrayList<>();
      for (InetSocketAddress a : amqp.boundAddresses()) {
        all.add(new ServerInfo.Listener("amqp", AddressNames.ntoa(a.getAddress()), a.getPort()));
      }
      all.addAll(h.httpBound);
      return all;
    }, () -> broker.alarms().active().stream().map(r -> new ServerInfo.Alarm(r.rabbitName())).toList());
  }

  private String lastIp = "";

  private int bind(HttpListener l, String ip, int port) throws IOException, InterruptedException {
    InetSocketAddress bound;
    try {
      bound = l.bind(new InetSocketAddress(ip, port));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // Netty throws the socket's BindException undeclared
      BindException named = new BindException("cannot listen on " + ip + ":" + port + " (" + l.name() + "): "
          + e.getMessage());
      named.initCause(e);
      throw named;
    }
    listeners.add(l);
    lastIp = AddressNames.ntoa(bound.getAddress());
    String name = l.name() + " " + AddressNames.of(bound);
    names.add(name);
    log.info("{} listening on http://{}/", l.name(), AddressNames.of(bound));
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
