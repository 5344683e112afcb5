package io.warrenmq.it.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Digs the close method out of what the Java client throws, so a test can assert the exact reply
 * code and text the broker sent: {@code assertThat(channelClose(e).getReplyText())...}.
 */
public final class CloseReasons {
  private CloseReasons() {}

  /** The ShutdownSignalException somewhere in {@code t}'s cause chain. */
  public static ShutdownSignalException shutdownSignal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ShutdownSignalException s) {
        return s;
      }
    }
    throw new AssertionError("no ShutdownSignalException in " + t, t);
  }

  /** The channel.close the broker sent (fails if the connection was closed instead). */
  public static AMQP.Channel.Close channelClose(Throwable t) {
    Method m = shutdownSignal(t).getReason();
    if (m instanceof AMQP.Channel.Close c) {
      return c;
    }
    throw new AssertionError("expected channel.close, got " + m, t);
  }

  /** The connection.close the broker sent (fails if only the channel was closed). */
  public static AMQP.Connection.Close connectionClose(Throwable t) {
    Method m = shutdownSignal(t).getReason();
    if (m instanceof AMQP.Connection.Close c) {
      return c;
    }
    throw new AssertionError("expected connection.close, got " + m, t);
  }

  /** "code text", for compact assertions. */
  public static String codeAndText(AMQP.Channel.Close c) {
    return c.getReplyCode() + " " + c.getReplyText();
  }

  /** "code text", for compact assertions. */
  public static String codeAndText(AMQP.Connection.Close c) {
    return c.getReplyCode() + " " + c.getReplyText();
  }
}
