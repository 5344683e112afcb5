package io.warrenmq.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.warrenmq.server.config.LogSettings;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback from the broker's {@link LogSettings}: replaces whatever was configured before
 * (the {@link DefaultConfigurator}'s console) with the console and file appenders the settings ask
 * for. Netty's own loggers stay at warn, as before.
 */
public final class Logging {
  /** The plaintext line: {@code 2026-12-02 20:29:21.530 [INFO] AmqpServer - message}. */
  static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} [%level] %logger{0} - %msg%n";

  private Logging() {}

  /** Applies {@code s}; call it before the broker logs its first line. */
  public static void configure(LogSettings s) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return; // another SLF4J provider (the in-process brokers of warren-it): left as it is
    }
    ctx.reset();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(s.defaultLevel()));
    ctx.getLogger("io.netty").setLevel(Level.WARN);
    if (s.console() && !s.consoleLevel().equals("none")) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setName("console");
      root.addAppender(start(ctx, console, s.consoleJson(), s.consoleLevel()));
    }
    if (s.file() != null && !s.fileLevel().equals("none")) {
      root.addAppender(start(ctx, file(ctx, s), s.fileJson(), s.fileLevel()));
    }
  }

  /** The default before (and without) settings: plaintext at info on standard output. */
  static void defaults(LoggerContext ctx) {
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    ctx.getLogger("io.netty").setLevel(Level.WARN);
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("console");
    root.addAppender(start(ctx, console, false, ""));
  }

  private static FileAppender<ILoggingEvent> file(LoggerContext ctx, LogSettings s) {
    String name = s.file().toString();
    if (s.rotationSize() <= 0) {
      FileAppender<ILoggingEvent> f = new FileAppender<>();
      f.setName("file");
      f.setFile(name);
      f.setAppend(true);
      return f;
    }
    RollingFileAppender<ILoggingEvent> f = new RollingFileAppender<>();
    f.setName("file");
    f.setContext(ctx);
    f.setFile(name);
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(ctx);
    rolling.setParent(f);
    rolling.setFileNamePattern(name + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(s.rotationCount());
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(ctx);
    trigger.setMaxFileSize(new FileSize(s.rotationSize()));
    trigger.start();
    f.setRollingPolicy(rolling);
    f.setTriggeringPolicy(trigger);
    return f;
  }

  private static Appender<ILoggingEvent> start(
      LoggerContext ctx, OutputStreamAppender<ILoggingEvent> appender, boolean json, String threshold) {
    Layout<ILoggingEvent> layout;
    if (json) {
      layout = new JsonLineLayout();
    } else {
      PatternLayout p = new PatternLayout();
      p.setPattern(PATTERN);
      layout = p;
    }
    layout.setContext(ctx);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(ctx);
    encoder.setLayout(layout);
    encoder.start();
    appender.setContext(ctx);
    appender.setEncoder(encoder);
    if (!threshold.isEmpty()) {
      ThresholdFilter filter = new ThresholdFilter();
      filter.setLevel(level(threshold).toString());
      filter.start();
      appender.addFilter(filter);
    }
    appender.start();
    return appender;
  }

  /** RabbitMQ's level name as Logback's: notice is info; critical, alert and emergency are error. */
  static Level level(String name) {
    return switch (name) {
      case "debug" -> Level.DEBUG;
      case "info", "notice" -> Level.INFO;
      case "warning" -> Level.WARN;
      case "error", "critical", "alert", "emergency" -> Level.ERROR;
      case "none" -> Level.OFF;
      default -> throw new IllegalArgumentException("unknown level " + name);
    };
  }
}
