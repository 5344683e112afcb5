package io.warrenmq.management.definitions;

import io.warrenmq.broker.Broker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's {@code load_definitions} (rabbit_definitions_import_local_filesystem): a definitions
 * file, or every file of a directory in name order, imported at boot after recovery and before
 * the listeners open; any failure stops the boot, as it stops RabbitMQ's.
 */
public final class DefinitionFiles {
  private static final Logger log = LoggerFactory.getLogger(DefinitionFiles.class);

  private DefinitionFiles() {}

  /** Imports {@code path}; throws IOException naming what could not be read or imported. */
  public static void load(Broker broker, Path path) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(path)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        loadFile(broker, f);
      }
    } else {
      loadFile(broker, path);
    }
  }

  private static void loadFile(Broker broker, Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException("local definition file '" + file + "' does not exist or cannot be read by the node");
    }
    log.info("Applying definitions from file at '{}'", file);
    Map<String, Object> defs = DefinitionsImport.parse(Files.readAllBytes(file));
    if (defs == null) {
      throw new IOException("Definitions file at path " + file + " failed validation. The file must be a valid JSON "
          + "document");
    }
    try {
      new DefinitionsImport(broker, null).apply(defs);
    } catch (DefinitionsImport.ImportFailed e) {
      throw new IOException("failed to import definitions from " + file + ": " + e.getMessage(), e);
    }
  }
}
