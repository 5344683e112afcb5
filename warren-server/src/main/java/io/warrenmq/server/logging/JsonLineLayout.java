package io.warrenmq.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per line, with RabbitMQ's JSON formatter's default fields ({@code time} in its
 * rfc3339_space form, {@code level} in lower case with RabbitMQ's names, {@code msg}) and
 * WarrenMQ's {@code logger} (the class's simple name), {@code thread} and, for a failure,
 * {@code exception} (the stack trace).
 */
final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneId.systemDefault());
  private final JsonFactory json = new JsonFactory();

  @Override
  public String doLayout(ILoggingEvent e) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", TIME.format(e.getInstant()));
      g.writeStringField("level", level(e.getLevel()));
      g.writeStringField("msg", e.getFormattedMessage());
      String logger = e.getLoggerName();
      g.writeStringField("logger", logger.substring(logger.lastIndexOf('.') + 1));
      g.writeStringField("thread", e.getThreadName());
      IThrowableProxy t = e.getThrowableProxy();
      if (t != null) {
        g.writeStringField("exception", ThrowableProxyUtil.asString(t));
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.append('\n').toString();
  }

  /** Logback's level in RabbitMQ's words: debug, info, warning, error. */
  private static String level(Level l) {
    return switch (l.toInt()) {
      case Level.WARN_INT -> "warning";
      case Level.ERROR_INT -> "error";
      case Level.DEBUG_INT, Level.TRACE_INT -> "debug";
      default -> "info";
    };
  }
}
