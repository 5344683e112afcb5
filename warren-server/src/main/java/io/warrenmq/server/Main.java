package io.warrenmq.server;

import io.warrenmq.server.config.BrokerConfig;
import io.warrenmq.server.config.ConfigLoader;
import io.warrenmq.server.ctl.WarrenCtl;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's entry point: {@code warren [--config FILE] [--KEY VALUE ...]}, or
 * {@code warren ctl <command>} for warrenctl. Runs in the foreground until SIGTERM or SIGINT, then
 * stops gracefully and exits with 0 (1 if the stop failed).
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
    Logger log = LoggerFactory.getLogger(Main.class);
    WarrenServer server;
    try {
      server = WarrenServer.start(config);
    } catch (IOException | RuntimeException e) {
      log.error("could not start: {}", e.toString(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int status = 0;
      try {
        server.close();
      } catch (IOException | RuntimeException e) {
        log.error("error while stopping", e);
        status = 1;
      } finally {
        stopped.countDown();
      }
      exitAfterStop(status);
    }, "warren-shutdown"));
    stopped.await();
  }

  /**
   * Ends the process once the graceful stop is done: 0 when it succeeded, 1 when it failed. Left
   * to itself the JVM would exit with 143 (128 + SIGTERM) however clean the stop was, which
   * service managers count as a failure; RabbitMQ exits with 0 on SIGTERM, and so do we. halt is
   * the only way to set the status from a shutdown hook; nothing else of ours registers a hook or
   * calls System.exit once the broker runs, so no other exit status is overridden.
   */
  private static void exitAfterStop(int status) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }
}
