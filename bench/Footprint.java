import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Load for bench/footprint.sh (single-file program, run with the amqp-client jar on the class path).
 *
 * <pre>
 *   Footprint delayed URI FROM TO        publish delayed messages FROM..TO-1 (x-delay one hour and more)
 *   Footprint queues URI N THREADS MODE  declare queues fp.q.0..N-1; MODE sync (one RPC at a time per
 *                                        thread) or nowait (pipelined, fenced by one sync call)
 *   Footprint bind URI N THREADS MODE    bind fp.q.i to exchange fp.x with key k.i
 *   Footprint cleanup URI N              delete what the other modes made
 * </pre>
 * Env: DURABLE=1 declares durable queues.
 * Prints one line: what was done, how many, how long and the rate.
 */
public final class Footprint {
  /** DURABLE=1: the queues of "queues" are durable (default: not). */
  static final boolean DURABLE = "1".equals(System.getenv("DURABLE"));

  public static void main(String[] args) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(args[1]);
    // the client's topology recovery records every binding in a list (quadratic in the count):
    // without this the load generator, not the broker, is what gets measured
    f.setAutomaticRecoveryEnabled(false);
    f.setTopologyRecoveryEnabled(false);
    switch (args[0]) {
      case "delayed" -> delayed(f, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "queues", "bind" -> topology(f, args[0], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          args[4].equals("nowait"));
      case "cleanup" -> cleanup(f, Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void delayed(ConnectionFactory f, int from, int to) throws Exception {
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("fp.delayed", "x-delayed-message", true, false, Map.of("x-delayed-type", "direct"));
      ch.queueDeclare("fp.delayed.q", true, false, false, null);
      ch.queueBind("fp.delayed.q", "fp.delayed", "k");
      ch.confirmSelect();
      byte[] body = new byte[16];
      long t0 = System.nanoTime();
      for (int i = from; i < to; i++) {
        var props = new AMQP.BasicProperties.Builder().deliveryMode(2)
            .headers(Map.of("x-delay", 3_600_000L + i)).build();
        ch.basicPublish("fp.delayed", "k", props, body);
        if ((i - from + 1) % 5000 == 0) {
          ch.waitForConfirmsOrDie(60_000);
        }
      }
      ch.waitForConfirmsOrDie(60_000);
      report("delayed-published", to - from, t0);
    }
  }

  static void topology(ConnectionFactory f, String what, int n, int threads, boolean nowait) throws Exception {
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare("fp.x", "direct", false, false, null);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int first = t;
      done.add(pool.submit(() -> {
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
          for (int i = first; i < n; i += threads) {
            String q = "fp.q." + i;
            if (what.equals("queues")) {
              if (nowait) {
                ch.queueDeclareNoWait(q, DURABLE, false, false, null);
              } else {
                ch.queueDeclare(q, DURABLE, false, false, null);
              }
            } else if (nowait) {
              ch.queueBindNoWait(q, "fp.x", "k." + i, null);
            } else {
              ch.queueBind(q, "fp.x", "k." + i);
            }
          }
          ch.queueDeclarePassive("fp.q." + first); // fence: every earlier method on the channel is done
        }
        return null;
      }));
    }
    for (Future<?> d : done) {
      d.get();
    }
    pool.shutdown();
    report(what + "-" + (nowait ? "nowait" : "sync") + "-x" + threads, n, t0);
  }

  static void cleanup(ConnectionFactory f, int n) throws Exception {
    try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      for (int i = 0; i < n; i++) {
        ch.queueDeleteNoWait("fp.q." + i, false, false);
      }
      ch.exchangeDelete("fp.x");
      ch.queueDelete("fp.delayed.q");
      ch.exchangeDelete("fp.delayed");
    }
  }

  static void report(String what, long n, long t0) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%s n=%d seconds=%.2f rate=%.0f/s%n", what, n, s, n / s);
  }
}
