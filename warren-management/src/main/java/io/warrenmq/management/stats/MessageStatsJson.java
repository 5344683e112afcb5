package io.warrenmq.management.stats;

import static io.warrenmq.broker.stats.MessageCounts.ACK;
import static io.warrenmq.broker.stats.MessageCounts.CONFIRM;
import static io.warrenmq.broker.stats.MessageCounts.DELIVER;
import static io.warrenmq.broker.stats.MessageCounts.DELIVER_NO_ACK;
import static io.warrenmq.broker.stats.MessageCounts.DISK_READS;
import static io.warrenmq.broker.stats.MessageCounts.DISK_WRITES;
import static io.warrenmq.broker.stats.MessageCounts.DROP_UNROUTABLE;
import static io.warrenmq.broker.stats.MessageCounts.GET;
import static io.warrenmq.broker.stats.MessageCounts.GET_EMPTY;
import static io.warrenmq.broker.stats.MessageCounts.GET_NO_ACK;
import static io.warrenmq.broker.stats.MessageCounts.PUBLISH;
import static io.warrenmq.broker.stats.MessageCounts.REDELIVER;
import static io.warrenmq.broker.stats.MessageCounts.RETURN_UNROUTABLE;
import static io.warrenmq.management.stats.StatsSampler.N;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.queue.Queue;
import io.warrenmq.broker.stats.ExchangeCounts;
import io.warrenmq.broker.stats.MessageCounts;
import io.warrenmq.broker.stats.RateSample;
import io.warrenmq.broker.view.ChannelView;
import io.warrenmq.broker.view.ConnectionView;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.stats.SampleHistory.Points;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The statistics fields of the management API's objects, rendered as RabbitMQ's rabbit_mgmt_db and
 * rabbit_mgmt_stats render them: {@code message_stats} with each count {@code <name>} beside
 * {@code <name>_details: {rate}} (and, with a {@link Ranges range}, {@code samples: [{sample,
 * timestamp}]} newest first, {@code avg_rate} and {@code avg}); a group of counts appears only once
 * something was counted in it, and {@code message_stats} only when a group did
 * (rabbit_mgmt_db:message_stats([]) renders nothing). The controllers call one method per object
 * and leave it out under {@code ?disable_stats=true} ({@link #disabled}).
 *
 * <p>Which range applies where is RabbitMQ's pick_range: {@code msg_rates} for message counts
 * (and, as RabbitMQ does, a vhost's message depths), {@code lengths} for queue depths, the
 * overview's queue_totals and churn_rates, {@code data_rates} for bytes.
 *
 * <p>Threading: thread-safe; counts are read live, rates from the sampler's last tick.
 */
public final class MessageStatsJson {
  /** deliver + deliver_no_ack + get + get_no_ack, a derived field. */
  private static final int DELIVER_GET = -1;
  private static final int[] FINE = {PUBLISH, CONFIRM, RETURN_UNROUTABLE, DROP_UNROUTABLE};
  private static final int[] DELIVERIES = {GET, GET_NO_ACK, DELIVER, DELIVER_NO_ACK, REDELIVER, ACK, DELIVER_GET, GET_EMPTY};
  private static final int[] DISK = {DISK_READS, DISK_WRITES};
  private static final int[] QUEUE_PUBLISH = {PUBLISH};
  private static final String[] CHURN = {"connection_created", "connection_closed", "channel_created",
      "channel_closed", "queue_declared", "queue_created", "queue_deleted"};

  private final Broker broker;
  private final StatsSampler sampler;

  public MessageStatsJson(Broker broker, StatsSampler sampler) {
    this.broker = broker;
    this.sampler = sampler;
  }

  /** {@code ?disable_stats=true}: the statistics fields are left out (rabbit_mgmt_util:disable_stats). */
  public static boolean disabled(Function<String, @Nullable String> query) {
    return "true".equals(query.apply("disable_stats"));
  }

  public StatsSampler sampler() {
    return sampler;
  }

  // ---------------------------------------------------------------- objects

  /**
   * A queue's {@code message_stats} (publish; get ... get_empty) and the {@code _details} of its
   * depths {@code messages}, {@code messages_ready} and {@code messages_unacknowledged}, whose
   * values it sets too (rabbit_mgmt_db:queue_stats).
   */
  public void queue(Queue q, Ranges r, Map<String, Object> out) {
    MessageCounts c = q.counts();
    long ready = q.messageCount();
    long unacked = q.unackedCount();
    long[] v = new long[StatsSampler.Q_WIDTH];
    if (c != null) {
      StatsSampler.queueVector(q, c, v, ready, unacked);
    } else {
      v[StatsSampler.Q_READY] = ready;
      v[StatsSampler.Q_UNACKED] = unacked;
      v[StatsSampler.Q_MESSAGES] = ready + unacked;
    }
    RateSample s = c == null ? null : c.sample();
    SampleHistory h = r.msgRates() != null || r.lengths() != null ? sampler.viewedHistory(q) : null;
    Map<String, Object> ms = new LinkedHashMap<>();
    Points msg = points(h, r.msgRates());
    if (c != null && c.get(PUBLISH) > 0) {
      fields(ms, QUEUE_PUBLISH, v, s, msg);
    }
    if (c != null && deliveries(c)) {
      fields(ms, DELIVERIES, v, s, msg);
    }
    putStats(out, ms);
    Points len = points(h, r.lengths());
    field(out, "messages_ready", StatsSampler.Q_READY, v, s, len);
    field(out, "messages_unacknowledged", StatsSampler.Q_UNACKED, v, s, len);
    field(out, "messages", StatsSampler.Q_MESSAGES, v, s, len);
  }

  /** An exchange's {@code message_stats}: publish_out, publish_in (rabbit_mgmt_db:list_exchange_stats). */
  public void exchange(Exchange x, Ranges r, Map<String, Object> out) {
    ExchangeCounts c = x.counts();
    if (c == null) {
      return;
    }
    long[] v = {c.publishIn(), c.publishOut()};
    RateSample s = c.sample();
    Points p = points(r.msgRates() != null ? sampler.viewedHistory(x) : null, r.msgRates());
    Map<String, Object> ms = new LinkedHashMap<>();
    if (v[1] > 0) {
      field(ms, "publish_out", 1, v, s, p);
    }
    if (v[0] > 0) {
      field(ms, "publish_in", 0, v, s, p);
    }
    putStats(out, ms);
  }

  /** A channel's {@code message_stats}: publish ... drop_unroutable, get ... get_empty (channel_stats). */
  public void channel(ChannelView ch, Ranges r, Map<String, Object> out) {
    MessageCounts c = ch.counts();
    long[] v = new long[N];
    c.addTo(v);
    Points p = points(r.msgRates() != null ? sampler.viewedHistory(ch) : null, r.msgRates());
    Map<String, Object> ms = new LinkedHashMap<>();
    if (v[PUBLISH] > 0) {
      fields(ms, FINE, v, c.sample(), p);
    }
    if (deliveries(c)) {
      fields(ms, DELIVERIES, v, c.sample(), p);
    }
    putStats(out, ms);
  }

  /** A connection's {@code send_oct}, {@code recv_oct} with their details (connection_stats_coarse_conn_stats). */
  public void connection(ConnectionView conn, Ranges r, Map<String, Object> out) {
    long[] v = {conn.recvOct(), conn.sendOct()};
    RateSample s = sampler.connection(conn);
    Points p = points(r.dataRates() != null ? sampler.viewedHistory(conn) : null, r.dataRates());
    field(out, "send_oct", 1, v, s, p);
    field(out, "recv_oct", 0, v, s, p);
  }

  /**
   * A vhost's statistics (rabbit_mgmt_db:vhost_stats): {@code send_oct}, {@code recv_oct} once its
   * clients sent anything, its queues' depths once it has a queue, and {@code message_stats}.
   */
  public void vhost(VirtualHost vh, Ranges r, Map<String, Object> out) {
    long[] v = Totals.vhost(vh);
    StatsSampler.Tracked t = sampler.vhost(vh.name());
    RateSample s = t == null ? null : t.rate;
    SampleHistory h = t == null ? null : t.history;
    if (v[StatsSampler.V_RECV] + v[StatsSampler.V_SEND] > 0) {
      Points data = points(h, r.dataRates());
      field(out, "send_oct", StatsSampler.V_SEND, v, s, data);
      field(out, "recv_oct", StatsSampler.V_RECV, v, s, data);
    }
    Points msg = points(h, r.msgRates());
    if (hasQueues(vh)) {
      // RabbitMQ picks the msg_rates range for a vhost's depths (vhost_stats, pick_range(queue_msg_rates))
      field(out, "messages_ready", StatsSampler.V_READY, v, s, msg);
      field(out, "messages_unacknowledged", StatsSampler.V_UNACKED, v, s, msg);
      field(out, "messages", StatsSampler.V_MESSAGES, v, s, msg);
    }
    Map<String, Object> ms = new LinkedHashMap<>();
    if (v[PUBLISH] > 0) {
      fields(ms, FINE, v, s, msg);
    }
    if (deliveries(v)) {
      fields(ms, DELIVERIES, v, s, msg);
    }
    putStats(out, ms);
  }

  /**
   * The overview's statistics (rabbit_mgmt_db:overview): {@code message_stats} (always, maybe
   * empty), {@code churn_rates}, {@code queue_totals} and {@code object_totals} over the
   * {@code vhosts} a user sees. {@code user} is null for a monitoring user, who sees the node's
   * totals and the consumers; others see the sums of their vhosts and their own connections.
   */
  public Map<String, Object> overview(List<VirtualHost> vhosts, @Nullable String user, Ranges r) {
    long[] v = new long[StatsSampler.O_WIDTH];
    double[] rates = new double[StatsSampler.O_WIDTH];
    Points msg;
    Points len;
    Points churnLen; // the churn is the node's, whoever asks (connection_churn_rates of node())
    long now = System.currentTimeMillis();
    boolean anyQueue = false;
    for (VirtualHost vh : vhosts) {
      anyQueue |= hasQueues(vh);
    }
    if (user == null) {
      StatsSampler.Tracked t = sampler.overview();
      long[] vh = Totals.node(broker, vhosts);
      System.arraycopy(vh, 0, v, 0, vh.length);
      for (int i = 0; i < v.length; i++) {
        rates[i] = t.rate.rate(i, now);
      }
      msg = points(t.history, r.msgRates());
      len = points(t.history, r.lengths());
      churnLen = len;
    } else {
      msg = null;
      len = null;
      for (VirtualHost vh : vhosts) {
        long[] one = Totals.vhost(vh);
        StatsSampler.Tracked t = sampler.vhost(vh.name());
        for (int i = 0; i < one.length; i++) {
          v[i] += one[i];
          rates[i] += t == null ? 0.0 : t.rate.rate(i, now);
        }
        msg = sum(msg, t == null ? null : points(t.history, r.msgRates()));
        len = sum(len, t == null ? null : points(t.history, r.lengths()));
      }
      long[] churn = Totals.churn(broker);
      System.arraycopy(churn, 0, v, StatsSampler.O_CHURN, churn.length);
      StatsSampler.Tracked o = sampler.overview();
      churnLen = points(o.history, r.lengths());
      for (int i = 0; i < churn.length; i++) {
        rates[StatsSampler.O_CHURN + i] = o.rate.rate(StatsSampler.O_CHURN + i, now);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> ms = new LinkedHashMap<>();
    if (v[PUBLISH] > 0) {
      fields(ms, FINE, v, rates, msg);
    }
    if (anyQueue || v[DISK_READS] + v[DISK_WRITES] > 0) {
      fields(ms, DISK, v, rates, msg);
    }
    if (deliveries(v)) {
      fields(ms, DELIVERIES, v, rates, msg);
    }
    out.put("message_stats", ms);
    Map<String, Object> churn = new LinkedHashMap<>();
    for (int i = 0; i < CHURN.length; i++) {
      field(churn, CHURN[i], StatsSampler.O_CHURN + i, v, rates, churnLen);
    }
    out.put("churn_rates", churn);
    Map<String, Object> totals = new LinkedHashMap<>();
    if (anyQueue) {
      field(totals, "messages_ready", StatsSampler.V_READY, v, rates, len);
      field(totals, "messages_unacknowledged", StatsSampler.V_UNACKED, v, rates, len);
      field(totals, "messages", StatsSampler.V_MESSAGES, v, rates, len);
    }
    out.put("queue_totals", totals);
    out.put("object_totals", objectTotals(vhosts, user));
    return out;
  }

  /** object_totals: consumers (monitoring users only), queues, exchanges, connections, channels. */
  private Map<String, Object> objectTotals(List<VirtualHost> vhosts, @Nullable String user) {
    Map<String, Object> m = new LinkedHashMap<>();
    long consumers = 0;
    long connections = 0;
    long channels = 0;
    for (ConnectionView c : broker.connections().list()) {
      if (user == null || c.userName().equals(user)) {
        connections++;
        for (ChannelView ch : c.channels()) {
          channels++;
          consumers += ch.consumerCount();
        }
      }
    }
    long queues = 0;
    long exchanges = 0;
    for (VirtualHost vh : vhosts) {
      queues += vh.queueCount();
      exchanges += vh.exchangeCount();
    }
    if (user == null) {
      m.put("consumers", consumers);
    }
    m.put("queues", queues);
    m.put("exchanges", exchanges);
    m.put("connections", connections);
    m.put("channels", channels);
    return m;
  }

  // ---------------------------------------------------------------- vectors

  private static boolean hasQueues(VirtualHost vh) {
    return vh.queueCount() > 0;
  }

  private static boolean deliveries(MessageCounts c) {
    for (int i = GET; i <= GET_EMPTY; i++) {
      if (c.get(i) > 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean deliveries(long[] v) {
    for (int i = GET; i <= GET_EMPTY; i++) {
      if (v[i] > 0) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- fields

  private static void putStats(Map<String, Object> out, Map<String, Object> ms) {
    if (!ms.isEmpty()) {
      out.put("message_stats", ms);
    }
  }

  private static @Nullable Points points(@Nullable SampleHistory h, Ranges.@Nullable Range range) {
    return h == null || range == null ? null : h.query(range.firstMs(), range.lastMs(), range.incrMs());
  }

  /** Point-wise sum of two vhosts' points (their ticks are the same ones); null is none. */
  private static @Nullable Points sum(@Nullable Points a, @Nullable Points b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int n = Math.min(a.length(), b.length());
    long[][] vals = new long[n][];
    for (int k = 0; k < n; k++) {
      vals[k] = a.values()[k].clone();
      for (int i = 0; i < vals[k].length && i < b.values()[k].length; i++) {
        vals[k][i] += b.values()[k][i];
      }
    }
    return new Points(java.util.Arrays.copyOf(a.timestamps(), n), vals);
  }

  private static void fields(Map<String, Object> out, int[] which, long[] v, @Nullable RateSample s, @Nullable Points p) {
    for (int i : which) {
      field(out, name(i), i, v, s, p);
    }
  }

  private static void fields(Map<String, Object> out, int[] which, long[] v, double[] rates, @Nullable Points p) {
    for (int i : which) {
      field(out, name(i), i, v, rates, p);
    }
  }

  private static void field(Map<String, Object> out, String name, int i, long[] v, @Nullable RateSample s,
      @Nullable Points p) {
    long now = System.currentTimeMillis();
    double rate = s == null ? 0.0 : i == DELIVER_GET
        ? s.rate(DELIVER, now) + s.rate(DELIVER_NO_ACK, now) + s.rate(GET, now) + s.rate(GET_NO_ACK, now)
        : s.rate(i, now);
    put(out, name, i, v, rate, p);
  }

  private static void field(Map<String, Object> out, String name, int i, long[] v, double[] rates, @Nullable Points p) {
    double rate = i == DELIVER_GET ? rates[DELIVER] + rates[DELIVER_NO_ACK] + rates[GET] + rates[GET_NO_ACK] : rates[i];
    put(out, name, i, v, rate, p);
  }

  /**
   * {@code name: value, name_details: {rate[, samples, avg_rate, avg]}} (rabbit_mgmt_stats
   * format_rate; samples newest first, avg_rate and avg only with more than one sample).
   */
  private static void put(Map<String, Object> out, String name, int i, long[] v, double liveRate, @Nullable Points p) {
    out.put(name, value(v, i));
    Map<String, Object> d = new LinkedHashMap<>();
    if (p == null) {
      d.put("rate", liveRate);
      out.put(name + "_details", d);
      return;
    }
    int n = p.length();
    // with a range the rate is the last increment's (rate_from_last_increment)
    double rate = n >= 2 ? (value(p.values()[0], i) - value(p.values()[1], i)) * 1000.0
        / (p.timestamps()[0] - p.timestamps()[1]) : liveRate;
    d.put("rate", rate);
    List<Map<String, Object>> samples = new java.util.ArrayList<>(n);
    double total = 0;
    for (int k = 0; k < n; k++) {
      long sv = value(p.values()[k], i);
      total += sv;
      Map<String, Object> sample = new LinkedHashMap<>();
      sample.put("sample", sv);
      sample.put("timestamp", p.timestamps()[k]);
      samples.add(sample);
    }
    d.put("samples", samples);
    if (n > 1) {
      d.put("avg_rate", (value(p.values()[0], i) - value(p.values()[n - 1], i)) * 1000.0
          / (p.timestamps()[0] - p.timestamps()[n - 1]));
      d.put("avg", total / n);
    }
    out.put(name + "_details", d);
  }

  private static String name(int i) {
    return i == DELIVER_GET ? "deliver_get" : MessageCounts.NAMES[i];
  }

  private static long value(long[] v, int i) {
    return i == DELIVER_GET ? v[DELIVER] + v[DELIVER_NO_ACK] + v[GET] + v[GET_NO_ACK] : v[i];
  }
}
