package io.warrenmq.management.stats;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.stats.ExchangeCounts;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.stats.RateSample;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's statistics collection ({@code collect_statistics_interval}, 5 s by default) without
 * its event tables: every interval one tick reads the broker's counters and queue depths and keeps,
 * per object, a {@link RateSample} (its values at this tick and their change since the last one),
 * so that a rate costs nothing until it is read. Objects with no counters (idle queues, idle
 * exchanges) get nothing. Only the overview, the vhosts and a bounded set of recently viewed
 * objects ({@link #VIEWED_LIMIT}, least recently viewed out first) also keep a {@link
 * SampleHistory} for the {@code ?lengths_age=...} charts: never all 100,000 queues.
 *
 * <p>Vectors: a queue samples its {@link MessageCounts} then ready, unacknowledged and total
 * messages ({@link #Q_READY}...); an exchange publish_in and publish_out; a channel its counts; a
 * connection recv_oct and send_oct; a vhost its message totals, recv_oct, send_oct and its queues'
 * depths ({@link #V_RECV}...); the overview the same plus the churn ({@link #O_CHURN}).
 *
 * <p>Threading: ticks run on the sampler's own thread; everything read by requests is
 * thread-safe.
 */
public final class StatsSampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);
  /** RabbitMQ's default collect_statistics_interval, in ms. */
  public static final long DEFAULT_INTERVAL_MS = 5000;
  /** How many recently viewed queues, exchanges, channels and connections keep a history. */
  static final int VIEWED_LIMIT = 32;

  public static final int N = MessageCounts.SIZE;
  public static final int Q_READY = N;
  public static final int Q_UNACKED = N + 1;
  public static final int Q_MESSAGES = N + 2;
  public static final int Q_WIDTH = N + 3;
  public static final int V_RECV = N;
  public static final int V_SEND = N + 1;
  public static final int V_READY = N + 2;
  public static final int V_UNACKED = N + 3;
  public static final int V_MESSAGES = N + 4;
  public static final int V_WIDTH = N + 5;
  /** connection_created, connection_closed, channel_created, channel_closed, queue_declared, queue_created, queue_deleted. */
  public static final int O_CHURN = V_WIDTH;
  public static final int O_WIDTH = V_WIDTH + 7;

  /** A history with the rate sample it goes with. */
  static final class Tracked {
    final RateSample rate;
    final SampleHistory history;

    Tracked(int width, long intervalMs, long[][] policy) {
      this.rate = new RateSample(width);
      this.history = new SampleHistory(width, intervalMs, policy);
    }
  }

  private final Broker broker;
  private final long intervalMs;
  private final @Nullable ScheduledExecutorService thread;
  private final Tracked overview;
  private final Map<String, Tracked> vhosts = new ConcurrentHashMap<>();
  private final Map<ConnectionView, RateSample> connections = new ConcurrentHashMap<>();
  /** Recently viewed objects (Queue, Exchange, ChannelView, ConnectionView), in access order. */
  private final LinkedHashMap<Object, Tracked> viewed = new LinkedHashMap<>(16, 0.75f, true);

  private StatsSampler(Broker broker, long intervalMs, boolean run) {
    this.broker = broker;
    this.intervalMs = intervalMs;
    this.overview = new Tracked(O_WIDTH, intervalMs, SampleHistory.GLOBAL);
    if (run) {
      ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("warren-stats").daemon(true).unstarted(r));
      t.scheduleAtFixedRate(this::safeTick, 0, intervalMs, TimeUnit.MILLISECONDS);
      this.thread = t;
    } else {
      this.thread = null;
    }
  }

  /** Starts sampling {@code broker} every {@code intervalMs}, on a thread of its own. */
  public static StatsSampler start(Broker broker, long intervalMs) {
    return new StatsSampler(broker, intervalMs, true);
  }

  /** A sampler that ticks only when {@link #tick(long)} is called (tests). */
  static StatsSampler manual(Broker broker, long intervalMs) {
    return new StatsSampler(broker, intervalMs, false);
  }

  public long intervalMs() {
    return intervalMs;
  }

  private void safeTick() {
    try {
      tick(System.currentTimeMillis());
    } catch (RuntimeException e) {
      log.error("statistics sampling failed", e);
    }
  }

  /** One tick at {@code nowMs}. */
  void tick(long nowMs) {
    long[] total = new long[O_WIDTH];
    long[] v = new long[V_WIDTH];
    long[] q = new long[Q_WIDTH];
    Set<String> live = new HashSet<>();
    for (VirtualHost vh : broker.vhosts()) {
      live.add(vh.name());
      java.util.Arrays.fill(v, 0);
      System.arraycopy(vh.messageTotals(), 0, v, 0, N);
      v[V_RECV] = vh.stats().recvOct();
      v[V_SEND] = vh.stats().sendOct();
      // one walk of the queues: their depths for the vhost, their own rate samples
      vh.forEachQueue(queue -> sampleQueue(queue, q, v, nowMs));
      for (Exchange x : vh.exchanges()) {
        sampleExchange(x, nowMs);
      }
      Tracked t = vhosts.computeIfAbsent(vh.name(), n -> new Tracked(V_WIDTH, intervalMs, SampleHistory.GLOBAL));
      t.rate.tick(v, nowMs);
      t.history.add(nowMs, v);
      for (int i = 0; i < V_WIDTH; i++) {
        total[i] += v[i];
      }
    }
    vhosts.keySet().retainAll(live);
    Totals.addRetired(broker, total);
    overview.rate.tick(total, nowMs);
    overview.history.add(nowMs, total);
    sampleConnections(nowMs);
    sampleViewed(nowMs);
  }

  private void sampleQueue(Queue queue, long[] q, long[] vhost, long nowMs) {
    long ready = queue.messageCount();
    long unacked = queue.unackedCount();
    vhost[V_READY] += ready;
    vhost[V_UNACKED] += unacked;
    vhost[V_MESSAGES] += ready + unacked;
    MessageCounts c = queue.counts();
    if (c == null) {
      return; // never used: no rate to keep
    }
    queueVector(queue, c, q, ready, unacked);
    RateSample s = c.sample();
    if (s == null) {
      s = new RateSample(Q_WIDTH);
      c.sample(s);
    }
    s.tick(q, nowMs);
  }

  static void queueVector(Queue queue, MessageCounts c, long[] q, long ready, long unacked) {
    for (int i = 0; i < N; i++) {
      q[i] = c.get(i);
    }
    q[Q_READY] = ready;
    q[Q_UNACKED] = unacked;
    q[Q_MESSAGES] = ready + unacked;
  }

  private static void sampleExchange(Exchange x, long nowMs) {
    ExchangeCounts c = x.counts();
    if (c == null) {
      return;
    }
    RateSample s = c.sample();
    if (s == null) {
      s = new RateSample(2);
      c.sample(s);
    }
    s.tick(new long[] {c.publishIn(), c.publishOut()}, nowMs);
  }

  private void sampleConnections(long nowMs) {
    List<ConnectionView> list = broker.connections().list();
    connections.keySet().retainAll(new HashSet<>(list));
    long[] v = new long[N];
    for (ConnectionView conn : list) {
      connections.computeIfAbsent(conn, k -> new RateSample(2))
          .tick(new long[] {conn.recvOct(), conn.sendOct()}, nowMs);
      for (ChannelView ch : conn.channels()) {
        MessageCounts c = ch.counts();
        RateSample s = c.sample();
        if (s == null) {
          s = new RateSample(N);
          c.sample(s);
        }
        java.util.Arrays.fill(v, 0);
        c.addTo(v);
        s.tick(v, nowMs);
      }
    }
  }

  private void sampleViewed(long nowMs) {
    Map<Object, Tracked> copy;
    synchronized (viewed) {
      viewed.entrySet().removeIf(e -> gone(e.getKey()));
      copy = new LinkedHashMap<>(viewed);
    }
    for (Map.Entry<Object, Tracked> e : copy.entrySet()) {
      long[] v = vectorOf(e.getKey());
      if (v != null) {
        e.getValue().history.add(nowMs, v);
      }
    }
  }

  private boolean gone(Object o) {
    return switch (o) {
      case Queue q -> q.isDeleted();
      case ConnectionView c -> !connections.containsKey(c);
      case ChannelView ch -> !connections.containsKey(ch.connection()) || !ch.connection().channels().contains(ch);
      default -> false;
    };
  }

  /** The sampled vector of a viewed object, as its own sample keeps it. */
  private static long @Nullable [] vectorOf(Object o) {
    switch (o) {
      case Queue queue -> {
        MessageCounts c = queue.counts();
        long ready = queue.messageCount();
        long unacked = queue.unackedCount();
        long[] q = new long[Q_WIDTH];
        if (c != null) {
          queueVector(queue, c, q, ready, unacked);
        } else {
          q[Q_READY] = ready;
          q[Q_UNACKED] = unacked;
          q[Q_MESSAGES] = ready + unacked;
        }
        return q;
      }
      case Exchange x -> {
        ExchangeCounts c = x.counts();
        return c == null ? new long[2] : new long[] {c.publishIn(), c.publishOut()};
      }
      case ChannelView ch -> {
        long[] v = new long[N];
        ch.counts().addTo(v);
        return v;
      }
      case ConnectionView c -> {
        return new long[] {c.recvOct(), c.sendOct()};
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * The history of a queue, exchange, channel or connection whose details a request asked for
   * with a range: it starts now if the object was not viewed recently (RabbitMQ keeps one for
   * every object; we keep {@link #VIEWED_LIMIT}).
   */
  SampleHistory viewedHistory(Object o) {
    synchronized (viewed) {
      Tracked t = viewed.get(o);
      if (t == null) {
        long[] v = vectorOf(o);
        // samples start with the next tick
        t = new Tracked(v == null ? 1 : v.length, intervalMs, SampleHistory.BASIC);
        viewed.put(o, t);
        if (viewed.size() > VIEWED_LIMIT) {
          Object eldest = viewed.keySet().iterator().next();
          viewed.remove(eldest);
        }
      }
      return t.history;
    }
  }

  Tracked overview() {
    return overview;
  }

  @Nullable Tracked vhost(String name) {
    return vhosts.get(name);
  }

  @Nullable RateSample connection(ConnectionView c) {
    return connections.get(c);
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
