package io.warrenmq.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * WarrenMQ as a separate process: the shaded jar started with the build's JDK, for tests that must
 * kill -9 the broker or stop it with SIGTERM. The jar and java come from the failsafe system
 * properties {@code warren.jar} and {@code warren.java}.
 */
public final class BrokerProcess implements AutoCloseable {
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final List<String> extraArgs;
  private List<String> jvmArgs = List.of();
  private Process process;

  public BrokerProcess(Path dataDir) throws IOException {
    this(dataDir, List.of());
  }

  /** With more command-line arguments ({@code --ssl-port 0 ...}). */
  public BrokerProcess(Path dataDir, List<String> extraArgs) throws IOException {
    this(dataDir, freePort(), extraArgs);
  }

  /** On a given AMQP port. */
  public BrokerProcess(Path dataDir, int port, List<String> extraArgs) {
    this.extraArgs = extraArgs;
    this.dataDir = dataDir;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.port = port;
  }

  /** {@code n} ports nothing listens on now, all different (held open together while picked). */
  public static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /**
   * {@code n} ports p whose p + 1 is free too (a cluster node's Raft port and its link port),
   * none of them among {@code avoid}. They are taken below Linux's ephemeral range (32768 and
   * up), so that no outgoing connection of a test running alongside gets one meanwhile.
   */
  public static List<Integer> freePortPairs(int n, List<Integer> avoid) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    java.util.Random random = new java.util.Random();
    try {
      for (int tries = 0; out.size() < n; tries++) {
        if (tries > 10_000) {
          throw new IOException("no free port pair found between 20000 and 32000");
        }
        int p = 20_000 + 2 * random.nextInt(6_000);
        if (out.contains(p) || avoid.contains(p) || avoid.contains(p + 1)) {
          continue;
        }
        try {
          ServerSocket a = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress());
          held.add(a);
          held.add(new ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress()));
          out.add(p);
        } catch (IOException taken) {
          // p or p + 1 is in use: try another
        }
      }
      return out;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /** A port nothing listens on now (the kernel picks it). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** JVM options for the next start ({@code -Dname=value}), e.g. to start it as another version. */
  public BrokerProcess jvmArgs(List<String> args) {
    this.jvmArgs = List.copyOf(args);
    return this;
  }

  /** The broker's process id (for kill -HUP). */
  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** Whether the process runs. */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits up to {@code timeout} for the process to end on its own; its exit code, or -1 if it still runs. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** Starts the broker and waits until its port accepts connections. */
  public BrokerProcess start() throws IOException, InterruptedException {
    String jar = System.getProperty("warren.jar");
    String java = System.getProperty("warren.java", "java");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("warren.jar not built: " + jar);
    }
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseCompactObjectHeaders",
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar, "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--management-port", "0", "--prometheus-port", "0",
        "--data-dir", dataDir.toString()));
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker exited with " + process.exitValue() + "; log " + log + ":\n"
            + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return this;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("broker did not listen on " + port + " within 60 s; log " + log);
  }

  /** kill -9: no shutdown hook runs, nothing is flushed by the broker. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait for the graceful stop; returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("broker did not stop within 60 s after SIGTERM");
    }
    return process.exitValue();
  }

  public String logText() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
