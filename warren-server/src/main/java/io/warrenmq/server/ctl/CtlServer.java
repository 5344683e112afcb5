package io.warrenmq.server.ctl;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix domain socket (mode 0600, so only the broker's own user reaches it)
 * on which warrenctl sends one command per connection. Request: an int count, then that many
 * strings, each an int length and UTF-8 bytes. Response: an int exit code, then the output as one string.
 *
 * <p>Threading: an acceptor thread of its own and one virtual thread per request; commands call
 * the broker's thread-safe administrative methods.
 */
public final class CtlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CtlServer.class);
  private static final int MAX_ARGS = 1000;
  /** The largest argument: a definitions document sent by import_definitions (RabbitMQ's HTTP body limit). */
  static final int MAX_ARG_BYTES = 64 * 1024 * 1024;

  private final Path path;
  private final CtlCommands commands;
  private final ServerSocketChannel server;
  private final Thread acceptor;

  public CtlServer(Path path, CtlCommands commands) throws IOException {
    this.path = path;
    this.commands = commands;
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      log.warn("cannot restrict the permissions of {}: {}", path, e.toString());
    }
    acceptor = Thread.ofPlatform().name("warren-ctl").daemon().start(this::acceptLoop);
  }

  public Path path() {
    return path;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel c = server.accept();
        Thread.ofVirtual().name("warren-ctl-request").start(() -> serve(c));
      } catch (IOException e) {
        if (server.isOpen()) {
          log.error("control socket {} failed", path, e);
        }
        return;
      }
    }
  }

  private void serve(SocketChannel c) {
    try (c;
        DataInputStream in = new DataInputStream(Channels.newInputStream(c));
        DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c))) {
      int n = in.readInt();
      if (n < 0 || n > MAX_ARGS) {
        throw new IOException("bad argument count " + n);
      }
      List<String> args = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        args.add(readLong(in));
      }
      log.info("warrenctl {}", args.isEmpty() ? "" : args.getFirst());
      CtlCommands.Result r = commands.run(args);
      out.writeInt(r.exitCode());
      writeLong(out, r.output());
      out.flush();
    } catch (IOException | RuntimeException e) {
      log.warn("control request failed: {}", e.toString());
    }
  }

  /** An argument: its UTF-8 length, then the bytes (writeUTF caps at 64 KiB, a definitions file does not). */
  static String readLong(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ARG_BYTES) {
      throw new IOException("bad argument length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** writeUTF caps at 64 KiB; long listings go as a length and UTF-8 bytes. */
  static void writeLong(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
  }
}
