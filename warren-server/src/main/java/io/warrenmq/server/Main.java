package io.warrenmq.server;

import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.config.ConfigLoader;
import io.warrenmq.server.ctl.WarrenCtl;
import io.warrenmq.server.logging.Logging;
import io.warrenmq.server.tls.Sighup;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's entry point: {@code warren [--config FILE] [--KEY VALUE ...]}, or
 * {@code warren ctl <command>} for warrenctl. Runs in the foreground until SIGTERM or SIGINT, then
 * stops gracefully and exits with 0 (1 if the stop failed). SIGHUP reloads the TLS certificates.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("ctl")) {
      WarrenCtl.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (Arrays.asList(args).contains("--help")) {
      System.out.print(ConfigLoader.help());
      return;
    }
    if (Arrays.asList(args).contains("--version")) {
      System.out.println("WarrenMQ " + Version.get());
      return;
    }
    BrokerConfig config;
    try {
      config = ConfigLoader.load(args);
    } catch (ConfigLoader.ConfigException e) {
      System.err.println("warren: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.log());
    Logger log = LoggerFactory.getLogger(Main.class);
    // The hook is in place before the start: a SIGTERM that comes while the broker recovers its
    // stores or binds its port waits for the start to end and then stops it gracefully, rather
    // than ending the JVM under a half-started broker (and with 143).
    AtomicReference<@Nullable WarrenServer> running = new AtomicReference<>();
    CountDownLatch startEnded = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(
        new Thread(() -> stopOnShutdown(log, startEnded, running), "warren-shutdown"));
    WarrenServer server = null;
    try {
      server = WarrenServer.start(config);
    } catch (IOException | RuntimeException e) {
      log.error("could not start: {}", e.toString(), e);
    } finally {
      running.set(server);
      startEnded.countDown();
    }
    if (server == null) {
      System.exit(1); // through the hook, which exits with 1 as nothing runs
      return;
    }
    WarrenServer started = server;
    // SIGHUP: read the TLS certificate files again (kill -HUP PID), as RabbitMQ's
    // rabbitmqctl eval 'ssl:clear_pem_cache().' is used for
    Sighup.handle(() -> log.info("SIGHUP: {} TLS contexts reloaded", started.reloadCertificates()));
    new CountDownLatch(1).await(); // the broker runs until the shutdown hook ends the JVM
  }

  /** The shutdown hook: once the start has ended, a graceful stop of what it started, then the exit. */
  private static void stopOnShutdown(
      Logger log, CountDownLatch startEnded, AtomicReference<@Nullable WarrenServer> running) {
    int status = 1;
    try {
      startEnded.await();
      WarrenServer server = running.get();
      if (server != null) {
        server.close();
        status = WarrenServer.refusedByCluster() ? 1 : 0;
      }
    } catch (IOException | RuntimeException e) {
      log.error("error while stopping", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exitAfterStop(status);
  }

  /**
   * Ends the process once the graceful stop is done: 0 when it succeeded, 1 when it failed or
   * there was no broker to stop (its start failed). Left to itself the JVM would exit with 143 (128
   * + SIGTERM) however clean the stop was, which service managers count as a failure; RabbitMQ
   * exits with 0 on SIGTERM, and so do we. halt is the only way to set the status from a shutdown
   * hook; nothing else of ours registers a hook or calls System.exit once the hook is in place, so
   * no other exit status is overridden.
   */
  private static void exitAfterStop(int status) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }
}
