package io.warrenmq.management.api;

import io.warrenmq.broker.vhost.VirtualHost;
import io.warrenmq.management.auth.Principal;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Json;
import io.warrenmq.management.http.Request;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One authenticated API request: the request, the path's captured segments and the user.
 *
 * @param request the HTTP request
 * @param params the path template's captures ({@code vhost}, {@code name}, ...), decoded
 * @param principal the authenticated user
 */
public record Call(Request request, Map<String, String> params, Principal principal) {
  /** A captured path segment; the template guarantees it is there. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no {" + name + "}");
    }
    return v;
  }

  public @Nullable String query(String name) {
    return request.param(name);
  }

  /** The vhost named by the path ({@code {vhost}}): 404 if it does not exist, as RabbitMQ. */
  public VirtualHost vhost() {
    VirtualHost vh = principal.broker().vhost(param("vhost"));
    if (vh == null) {
      throw notFound();
    }
    return vh;
  }

  /** The request body as a JSON object (400 not_json otherwise). */
  public Map<String, Object> body() {
    return Json.readObject(request.body());
  }

  /** RabbitMQ's 404 for an object the path names that does not exist. */
  public static ApiException notFound() {
    return new ApiException(404, "Object Not Found", "Not Found");
  }
}
