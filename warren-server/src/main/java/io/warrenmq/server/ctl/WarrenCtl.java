package io.warrenmq.server.ctl;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * warrenctl: sends one command to a running broker's control socket and prints the answer. The
 * socket is DATA_DIR/warren.sock; the data directory comes from {@code --data-dir DIR},
 * {@code WARREN_DATA_DIR} or ./data, or the socket from {@code --socket PATH} /
 * {@code WARREN_CTL_SOCKET}. Exit codes: the command's (0 ok, 1 error, 2 usage), 69 when no broker
 * answers (as rabbitmqctl).
 */
public final class WarrenCtl {
  private WarrenCtl() {}

  public static void main(String[] argv) {
    System.exit(run(argv, System.out, System.err));
  }

  /** Runs one command line against the broker, printing to {@code out} (success) or {@code err}; returns the exit code. */
  public static int run(String[] argv, PrintStream out, PrintStream err) {
    Path socket = null;
    String dataDir = System.getenv().getOrDefault("WARREN_DATA_DIR", "./data");
    String envSocket = System.getenv("WARREN_CTL_SOCKET");
    if (envSocket != null && !envSocket.isEmpty()) {
      socket = Path.of(envSocket);
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      if (argv[i].equals("--data-dir") && i + 1 < argv.length) {
        dataDir = argv[++i];
        socket = null;
      } else if (argv[i].equals("--socket") && i + 1 < argv.length) {
        socket = Path.of(argv[++i]);
      } else {
        args.add(argv[i]);
      }
    }
    if (socket == null) {
      socket = Path.of(dataDir).resolve("warren.sock");
    }
    if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h")) {
      out.print(CtlCommands.usage());
      return args.isEmpty() ? 2 : 0;
    }
    List<String> positional;
    try {
      positional = new CtlArgs(args).positional;
    } catch (IllegalArgumentException e) {
      positional = List.of();
    }
    if (!positional.isEmpty() && positional.getFirst().equals("export_definitions") && positional.size() == 2) {
      return DefinitionFiles.export(socket, args, positional.get(1), out, err);
    }
    if (!positional.isEmpty() && positional.getFirst().equals("import_definitions") && positional.size() <= 2) {
      return DefinitionFiles.importFrom(socket, args, positional.size() == 2 ? positional.get(1) : "-", System.in, out,
          err);
    }
    Reply r = send(socket, args, err);
    if (r == null) {
      return 69;
    }
    (r.code() == 0 ? out : err).print(r.text());
    return r.code();
  }

  /** A command's exit code and output. */
  record Reply(int code, String text) {}

  /** Sends one command to the broker's socket; null (with the reason on {@code err}) if it is not there. */
  static @Nullable Reply send(Path socket, List<String> args, PrintStream err) {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      DataOutputStream o = new DataOutputStream(Channels.newOutputStream(c));
      o.writeInt(args.size());
      for (String a : args) {
        CtlServer.writeLong(o, a);
      }
      o.flush();
      DataInputStream in = new DataInputStream(Channels.newInputStream(c));
      int code = in.readInt();
      byte[] text = new byte[in.readInt()];
      in.readFully(text);
      return new Reply(code, new String(text, StandardCharsets.UTF_8));
    } catch (IOException e) {
      err.println("Error: unable to reach the broker at " + socket + " (" + e.getMessage() + ")."
          + " Is it running? Pass --data-dir DIR if it uses another data directory.");
      return null;
    }
  }
}
