package io.warrenmq.broker.view;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Process ids in Erlang's text form for connections and channels, which rabbitmqctl and the
 * management API name by pid ({@code <rabbit@host.1727000000.1234.0>}, rabbit_misc:pid_to_string:
 * node, creation, id, serial). WarrenMQ has no Erlang processes, so each connection and channel
 * gets a synthetic one: this node's name, a creation number that differs between boots (the start
 * time in seconds, as Erlang/OTP 23+ creations differ per boot; an old pid never names a new
 * connection), and a counter. Thread-safe.
 */
public final class Pids {
  /** rabbit_misc:string_to_pid's syntax. */
  private static final Pattern SYNTAX = Pattern.compile("^<(.*)\\.(\\d+)\\.(\\d+)\\.(\\d+)>$");

  private final String node;
  private final long creation;
  private final AtomicLong next = new AtomicLong(1);

  public Pids(String node, long creation) {
    this.node = node;
    this.creation = creation;
  }

  /** Pids for a broker starting now on this host. */
  public static Pids forThisNode() {
    return new Pids(localNodeName(), System.currentTimeMillis() / 1000);
  }

  /** The node name of this broker: {@code warren@HOST}, as the server announces it (cluster_name). */
  public static String localNodeName() {
    String h = System.getenv("HOSTNAME");
    return "warren@" + (h == null || h.isEmpty() ? "localhost" : h);
  }

  public String node() {
    return node;
  }

  /** A pid not handed out before by this broker. */
  public String next() {
    return "<" + node + "." + creation + "." + next.getAndIncrement() + ".0>";
  }

  /** Whether {@code s} has the syntax of a pid (rabbit_misc:string_to_pid accepts it). */
  public static boolean isPid(String s) {
    return SYNTAX.matcher(s).matches();
  }
}
