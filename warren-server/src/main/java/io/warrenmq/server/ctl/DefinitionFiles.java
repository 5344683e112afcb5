package io.warrenmq.server.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * warrenctl's side of export_definitions and import_definitions: like rabbitmqctl, warrenctl
 * reads and writes the file (relative paths are its own working directory's), with rabbitmqctl
 * 3.13's checks and texts ("Directory x does not exist", "File x is zero-sized", the banners);
 * {@code -} is standard output for an export and standard input for an import (as is no file).
 */
final class DefinitionFiles {
  private DefinitionFiles() {}

  static int export(Path socket, List<String> args, String path, PrintStream out, PrintStream err) {
    CtlArgs a = new CtlArgs(args);
    String usage = "export_definitions <file_path | \"-\">";
    Path file = null;
    if (!path.equals("-")) {
      file = Path.of(path).toAbsolutePath();
      Path dir = file.getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        err.print("Error " + ValidationException.badArgument(a, usage,
            "Directory " + (Path.of(path).getParent() == null ? "." : Path.of(path).getParent()) + " does not exist")
            .getMessage() + "\n");
        return 1;
      }
    }
    WarrenCtl.Reply r = WarrenCtl.send(socket, replace(args, path, "-"), err);
    if (r == null) {
      return 69;
    }
    if (r.code() != 0 || file == null) {
      (r.code() == 0 ? out : err).print(r.text());
      return r.code();
    }
    if (!a.quiet) {
      out.println("Exporting definitions in JSON to a file at \"" + path + "\" ...");
    }
    try {
      Files.deleteIfExists(file);
      Files.writeString(file, r.text().strip(), StandardCharsets.UTF_8);
      return 0;
    } catch (AccessDeniedException e) {
      err.println("Error:\nNo permissions to write to file " + path + " or its parent directory");
    } catch (IOException e) {
      err.println("Error:\nCould not write to file " + path + ": " + e.getMessage());
    }
    return 65;
  }

  static int importFrom(Path socket, List<String> args, String path, InputStream stdin, PrintStream out,
      PrintStream err) {
    CtlArgs a = new CtlArgs(args);
    byte[] body;
    try {
      if (path.equals("-")) {
        body = stdin.readAllBytes();
      } else {
        Path file = Path.of(path).toAbsolutePath();
        if (!Files.exists(file)) {
          err.print("Error " + ValidationException.badArgument(a, "import_definitions <file_path | \"-\">",
              "File " + path + " does not exist").getMessage() + "\n");
          return 1;
        }
        if (Files.isDirectory(file)) {
          err.println("Error:\nPath " + path + " is a directory");
          return 65;
        }
        body = Files.readAllBytes(file);
        if (body.length == 0) {
          err.println("Error:\nFile " + path + " is zero-sized");
          return 65;
        }
      }
    } catch (NoSuchFileException e) {
      err.println("Error:\nParent directory or file " + path + " does not exist");
      return 65;
    } catch (IOException e) {
      err.println("Error:\nCould not read from file " + path + ": " + e.getMessage());
      return 65;
    }
    if (!a.quiet) {
      out.println(path.equals("-") ? "Importing definitions in JSON from standard input ..."
          : "Importing definitions in JSON from a file at \"" + path + "\" ...");
    }
    List<String> sent = replace(args, path, null);
    sent.add("--payload");
    sent.add(new String(body, StandardCharsets.UTF_8));
    WarrenCtl.Reply r = WarrenCtl.send(socket, sent, err);
    if (r == null) {
      return 69;
    }
    (r.code() == 0 ? out : err).print(r.text());
    return r.code();
  }

  /** The arguments with the command's file argument replaced (or dropped for null). */
  private static List<String> replace(List<String> args, String path, String with) {
    List<String> out = new ArrayList<>(args);
    int cmd = out.indexOf(out.stream().filter(s -> s.endsWith("_definitions")).findFirst().orElse(""));
    int at = cmd < 0 ? -1 : out.subList(cmd, out.size()).indexOf(path);
    if (at >= 0) {
      if (with == null) {
        out.remove(cmd + at);
      } else {
        out.set(cmd + at, with);
      }
    }
    return out;
  }
}
