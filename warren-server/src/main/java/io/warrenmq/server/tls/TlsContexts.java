package io.warrenmq.server.tls;

import io.warrenmq.server.config.TlsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The TLS contexts of the configured listeners (AMQPS, HTTPS management, HTTPS Prometheus), each
 * loaded once at the start, and the watcher that reloads them when their files change, every
 * {@code ssl_reload_interval} ms. {@link #reload} is what SIGHUP calls.
 *
 * <p>Threading: the watcher is one daemon thread; {@link #reload} is synchronized with it.
 */
public final class TlsContexts implements AutoCloseable {
  private final @Nullable TlsContext amqp;
  private final @Nullable TlsContext management;
  private final @Nullable TlsContext prometheus;
  private @Nullable ScheduledExecutorService watcher;

  private TlsContexts(@Nullable TlsContext amqp, @Nullable TlsContext management, @Nullable TlsContext prometheus) {
    this.amqp = amqp;
    this.management = management;
    this.prometheus = prometheus;
  }

  /**
   * Loads what {@code config} turns on and starts the watcher.
   *
   * @throws io.warrenmq.server.config.ConfigLoader.ConfigException naming the key of a bad file
   */
  public static TlsContexts load(TlsConfig config) {
    TlsContexts t = new TlsContexts(
        config.amqpListeners().isEmpty() ? null : TlsContext.load("amqp", config.amqp()),
        config.managementPort() > 0 ? TlsContext.load("management", config.management()) : null,
        config.prometheusPort() > 0 ? TlsContext.load("prometheus", config.prometheus()) : null);
    if (config.reloadIntervalMs() > 0 && config.any()) {
      ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread th = new Thread(r, "warren-tls-watcher");
        th.setDaemon(true);
        return th;
      });
      w.scheduleWithFixedDelay(t::reloadChanged, config.reloadIntervalMs(), config.reloadIntervalMs(),
          TimeUnit.MILLISECONDS);
      t.watcher = w;
    }
    return t;
  }

  public @Nullable TlsContext amqp() {
    return amqp;
  }

  public @Nullable TlsContext management() {
    return management;
  }

  public @Nullable TlsContext prometheus() {
    return prometheus;
  }

  private List<TlsContext> all() {
    List<TlsContext> out = new ArrayList<>();
    for (TlsContext c : new TlsContext[] {amqp, management, prometheus}) {
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private synchronized void reloadChanged() {
    for (TlsContext c : all()) {
      c.reloadIfChanged();
    }
  }

  /** Reloads every context from its files (SIGHUP); returns how many were swapped. */
  public synchronized int reload() {
    int n = 0;
    for (TlsContext c : all()) {
      if (c.reload()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    ScheduledExecutorService w = watcher;
    if (w != null) {
      w.shutdownNow();
      watcher = null;
    }
  }
}
