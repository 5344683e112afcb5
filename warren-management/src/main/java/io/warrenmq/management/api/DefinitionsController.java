package io.warrenmq.management.api;

import io.warrenmq.broker.Broker;
import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.definitions.DefinitionsExport;
import io.warrenmq.management.definitions.DefinitionsImport;
import io.warrenmq.management.auth.Access;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/definitions} and {@code /api/definitions/{vhost}} (rabbit_mgmt_wm_definitions; also
 * under its old name {@code /api/all-configuration}), for administrators: GET exports
 * ({@code ?download=NAME} answers it as an attachment), POST imports a JSON body or the UI's
 * {@code multipart/form-data} upload (field {@code file}; a {@code redirect} field answers 303
 * there), 204 when done, 400 with RabbitMQ's reason when not ({@code failed_to_parse_json}, or
 * the import's error; what was imported before stays), 415 for another content type.
 */
final class DefinitionsController {
  private static final Logger log = LoggerFactory.getLogger(DefinitionsController.class);
  private final Broker broker;

  DefinitionsController(Broker broker) {
    this.broker = broker;
  }

  void register(ApiRoutes api) {
    for (String base : new String[] {"/api/definitions", "/api/all-configuration"}) {
      api.get(base, Access.ADMIN, c -> download(c, DefinitionsExport.all(broker)));
      api.post(base, Access.ADMIN, c -> importBody(c, null));
    }
    api.get("/api/definitions/{vhost}", Access.ADMIN, c -> {
      VirtualHost vh = broker.vhost(c.param("vhost"));
      if (vh == null) {
        throw ApiException.badRequest("vhost_not_found");
      }
      return download(c, DefinitionsExport.vhost(broker, vh));
    });
    api.post("/api/definitions/{vhost}", Access.ADMIN, c -> {
      if (broker.vhost(c.param("vhost")) == null) {
        throw ApiException.notFound("vhost_not_found");
      }
      return importBody(c, c.param("vhost"));
    });
  }

  private static Response download(Call c, Map<String, Object> defs) {
    Response r = Response.ok(defs);
    String name = c.query("download");
    if (name != null) {
      r.header("content-disposition", "attachment; filename=" + name.replace("\r", "").replace("\n", ""));
    }
    return r;
  }

  private Response importBody(Call c, @Nullable String vhost) {
    String type = c.request().header("content-type");
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    byte[] body;
    String redirect = null;
    if (t.startsWith("application/json")) {
      body = c.request().body();
    } else if (t.startsWith("multipart/form-data")) {
      Map<String, byte[]> parts = Multipart.parts(type, c.request().body());
      if (parts == null) {
        throw ApiException.badRequest("failed_to_parse_json");
      }
      body = parts.getOrDefault("file", new byte[0]);
      byte[] r = parts.get("redirect");
      redirect = r == null ? null : new String(r, StandardCharsets.UTF_8);
    } else {
      return Response.bytes(415, "text/plain", new byte[0]);
    }
    Map<String, Object> defs = DefinitionsImport.parse(body);
    if (defs == null) {
      log.error("Encountered an error when parsing definitions uploaded by '{}'", c.principal().name());
      throw ApiException.badRequest("failed_to_parse_json");
    }
    DefinitionsImport imp = new DefinitionsImport(broker, c.principal().name());
    try {
      if (vhost == null) {
        imp.apply(defs);
      } else {
        imp.apply(defs, vhost);
      }
    } catch (DefinitionsImport.ImportFailed e) {
      log.error("Encountered an error when importing definitions: {}", e.getMessage());
      throw ApiException.badRequest(e.getMessage());
    }
    log.info("imported definitions uploaded by '{}'{}", c.principal().name(), vhost == null ? "" : " into vhost '" + vhost + "'");
    if (redirect != null) {
      return Response.bytes(303, "text/plain", new byte[0]).header("location", redirect);
    }
    return Response.noContent();
  }
}
