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
 * stops gracefully.
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
      try {
        server.close();
      } catch (IOException | RuntimeException e) {
        log.error("error while stopping", e);
      } finally {
        stopped.countDown();
      }
    }, "warren-shutdown"));
    stopped.await();
  }
}
