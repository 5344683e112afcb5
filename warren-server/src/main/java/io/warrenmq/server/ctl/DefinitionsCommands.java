package io.warrenmq.server.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.warrenmq.broker.Broker;
import io.warrenmq.management.definitions.CtlExport;
import io.warrenmq.management.definitions.DefinitionsImport;
import io.warrenmq.management.http.Json;
import java.util.Map;

/**
 * The broker's half of export_definitions and import_definitions: warrenctl reads and writes the
 * file itself, as rabbitmqctl does, so the broker exports to the socket ({@code export_definitions
 * -}) and imports the document warrenctl sends ({@code --payload}). Texts are rabbitmqctl 3.13's.
 */
final class DefinitionsCommands implements CommandGroup {
  /** rabbitmqctl import_definitions' answer when done. */
  static final String IMPORTED = "Successfully started definition import. This process is asynchronous and can take "
      + "some time. Watch target node logs for completion.\n";

  private final Broker broker;

  DefinitionsCommands(Broker broker) {
    this.broker = broker;
  }

  @Override
  public boolean run(String cmd, CtlArgs a, StringBuilder out) {
    switch (cmd) {
      case "export_definitions" -> {
        String usage = "export_definitions <file_path | \"-\">";
        if (a.positional.isEmpty()) {
          throw ValidationException.notEnoughArgs(a, usage);
        }
        a.atMost(1, usage);
        try {
          out.append(Json.mapper().writeValueAsString(CtlExport.all(broker))).append('\n');
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot write the definitions", e);
        }
      }
      case "import_definitions" -> {
        a.atMost(1, "import_definitions <file_path | \"-\">");
        if (a.payload == null) {
          throw new UsageException("import_definitions reads the file in warrenctl; run it through warrenctl");
        }
        Map<String, Object> defs = DefinitionsImport.parse(a.payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (defs == null) {
          throw CtlError.dataError("Error:\nFailed to deserialise input (format: JSON) (error: not a JSON object)");
        }
        try {
          new DefinitionsImport(broker, null).apply(defs);
        } catch (DefinitionsImport.ImportFailed e) {
          throw CtlError.error(e.getMessage());
        }
        a.info(out, IMPORTED.strip());
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
