package io.warrenmq.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small helpers for the messaging-semantics ITs: bodies as strings, draining a queue with
 * basic.get, unique resource names within one shared broker, and the close a failing call caused.
 */
public final class Messaging {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Messaging() {}

  /** Something a test expects to fail with a broker-sent close. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A name no other test of the JVM uses: {@code prefix-N}. */
  public static String unique(String prefix) {
    return prefix + "-" + COUNTER.incrementAndGet();
  }

  /** Every ready message of {@code queue}, taken with basic.get and auto-ack, in order. */
  public static List<String> drain(Channel ch, String queue) throws IOException {
    List<String> out = new ArrayList<>();
    GetResponse r;
    while ((r = ch.basicGet(queue, true)) != null) {
      out.add(text(r.getBody()));
    }
    return out;
  }

  /** The next {@code n} elements of {@code q}, each waited for at most 10 s (fails otherwise). */
  public static <T> List<T> take(BlockingQueue<T> q, int n) throws InterruptedException {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      T t = q.poll(10, TimeUnit.SECONDS);
      assertThat(t).as("element %d of %d", i + 1, n).isNotNull();
      out.add(t);
    }
    return out;
  }

  /** Runs {@code action}, which must fail with a channel.close; returns "code text" of it. */
  public static String channelCloseOf(Action action) {
    try {
      action.run();
    } catch (Exception e) {
      return CloseReasons.codeAndText(CloseReasons.channelClose(e));
    }
    throw new AssertionError("expected the broker to close the channel");
  }

  /** Runs {@code action}, which must fail with a connection.close; returns "code text" of it. */
  public static String connectionCloseOf(Action action) {
    try {
      action.run();
    } catch (Exception e) {
      return CloseReasons.codeAndText(CloseReasons.connectionClose(e));
    }
    throw new AssertionError("expected the broker to close the connection");
  }
}
