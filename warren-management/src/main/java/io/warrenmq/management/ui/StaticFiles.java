package io.warrenmq.management.ui;

import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Request;
import io.warrenmq.management.http.Response;
import io.warrenmq.management.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The UI's files, read from the class path: {@code /} is {@code www/index.html}, {@code /x/y.js}
 * is {@code www/x/y.js}, and {@code /webjars/...} is a WebJar's {@code META-INF/resources/webjars/...}.
 * Only files with a known extension are served (which also keeps directories out), with their
 * content type, an ETag (a conditional GET gets 304) and a cache-control: our own files are
 * revalidated on every load ({@code no-cache}, so an upgraded broker serves its new UI at once),
 * a WebJar's versioned path is cached for a year. A segment that is empty, starts with a dot or
 * holds a slash or a backslash (a percent-encoded {@code %2F} stays in its segment) is refused, so
 * nothing outside {@code www/} and the WebJars can be named. Anything else is RabbitMQ's 404.
 *
 * <p>Threading: handles requests on any thread; files read once are kept (the set is bounded by
 * what the jar holds: misses are not cached).
 */
public final class StaticFiles implements Router.Handler {
  private static final String ROOT = "www/";
  private static final String WEBJARS = "META-INF/resources/webjars/";
  /** Our pages: what they may load and who may frame them. */
  static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      + "frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  private record Asset(byte[] body, String type, String etag, String cacheControl) {}

  private final ClassLoader loader;
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  public StaticFiles() {
    this(StaticFiles.class.getClassLoader());
  }

  StaticFiles(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public Response handle(Request request, Map<String, String> params) {
    String resource = resource(request.segments());
    Asset a = resource == null ? null : asset(resource);
    if (a == null) {
      throw new ApiException(404, "Object Not Found", "Not Found");
    }
    String inm = request.header("if-none-match");
    Response r = inm != null && inm.contains(a.etag())
        ? Response.bytes(304, a.type(), new byte[0])
        : Response.bytes(200, a.type(), a.body());
    r.header("etag", a.etag()).header("cache-control", a.cacheControl()).header("x-content-type-options", "nosniff");
    if (a.type().startsWith("text/html")) {
      r.header("content-security-policy", CSP).header("x-frame-options", "DENY");
    }
    return r;
  }

  /** The class-path name of the file the path names, or null if it names none we serve. */
  static @Nullable String resource(List<String> segments) {
    if (segments.isEmpty() || segments.equals(List.of(""))) {
      return ROOT + "index.html";
    }
    for (String s : segments) {
      if (s.isEmpty() || s.startsWith(".") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0) {
        return null;
      }
    }
    if (segments.getFirst().equals("api")) {
      return null;
    }
    if (type(segments.getLast()) == null) {
      return null;
    }
    String path = String.join("/", segments);
    if (segments.getFirst().equals("webjars")) {
      return segments.size() < 3 ? null : WEBJARS + path.substring("webjars/".length());
    }
    return ROOT + path;
  }

  private static @Nullable String type(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private @Nullable Asset asset(String resource) {
    Asset a = cache.get(resource);
    if (a != null) {
      return a;
    }
    byte[] body;
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      body = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
    CRC32C crc = new CRC32C();
    crc.update(body);
    String etag = "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length) + "\"";
    String cacheControl = resource.startsWith(WEBJARS) ? "public, max-age=31536000, immutable" : "no-cache";
    String name = resource.substring(resource.lastIndexOf('/') + 1);
    a = new Asset(body, java.util.Objects.requireNonNull(type(name)), etag, cacheControl);
    cache.put(resource, a);
    return a;
  }
}
