package io.warrenmq.management.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Routes requests by method and path template, as RabbitMQ's dispatcher does: a template is a
 * path whose segments are literals or {@code {name}} captures ({@code /api/queues/{vhost}/{name}});
 * captured values are percent-decoded segments. Templates are tried in the order they were added
 * and the first whose segments match wins (so {@code /api/queues/detailed} goes before
 * {@code /api/queues/{vhost}}). A path that matches no template is 404 as RabbitMQ answers it; a
 * path that matches but not for this method is 405 with an {@code allow} header.
 *
 * <p>Threading: routes are added before the listener starts; handling is thread-safe.
 */
public final class Router implements HttpService {
  /** Handles a request whose path matched; {@code params} holds the captured segments. */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request, Map<String, String> params);
  }

  private record Route(String method, String[] template, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private @Nullable Handler fallback;

  public Router get(String template, Handler h) {
    return route("GET", template, h);
  }

  public Router put(String template, Handler h) {
    return route("PUT", template, h);
  }

  public Router post(String template, Handler h) {
    return route("POST", template, h);
  }

  public Router delete(String template, Handler h) {
    return route("DELETE", template, h);
  }

  public Router route(String method, String template, Handler h) {
    String t = template.startsWith("/") ? template.substring(1) : template;
    routes.add(new Route(method, t.split("/", -1), h));
    return this;
  }

  /**
   * Answers a GET (or HEAD) whose path matches no template at all (the UI's static files); other
   * methods on such a path stay 404.
   */
  public Router fallback(Handler h) {
    fallback = h;
    return this;
  }

  @Override
  public Response handle(Request request) {
    List<String> path = request.segments();
    Set<String> allowed = new LinkedHashSet<>();
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    for (Route r : routes) {
      Map<String, String> params = match(r.template(), path);
      if (params == null) {
        continue;
      }
      if (r.method().equals(method)) {
        return r.handler().handle(request, params);
      }
      allowed.add(r.method());
    }
    if (allowed.isEmpty() && fallback != null && method.equals("GET")) {
      return fallback.handle(request, Map.of());
    }
    if (allowed.isEmpty()) {
      throw new ApiException(404, "Object Not Found", "Not Found");
    }
    if (method.equals("OPTIONS")) {
      return Response.noContent().header("allow", String.join(", ", allowed));
    }
    return Response.error(new ApiException(405, "method_not_allowed", "Method Not Allowed"))
        .header("allow", String.join(", ", allowed));
  }

  private static @Nullable Map<String, String> match(String[] template, List<String> path) {
    // a trailing slash is ignored, as cowboy ignores it
    int n = path.size();
    if (n > 0 && path.get(n - 1).isEmpty() && n - 1 == template.length) {
      n--;
    }
    if (n != template.length) {
      return null;
    }
    Map<String, String> params = null;
    for (int i = 0; i < n; i++) {
      String t = template[i];
      String s = path.get(i);
      if (t.length() > 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}') {
        if (s.isEmpty()) {
          return null;
        }
        if (params == null) {
          params = new LinkedHashMap<>();
        }
        params.put(t.substring(1, t.length() - 1), s);
      } else if (!t.equals(s)) {
        return null;
      }
    }
    return params == null ? Map.of() : params;
  }
}
