package io.warrenmq.management.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Request;
import io.warrenmq.management.http.Response;
import io.warrenmq.management.http.Router;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The UI's files behind the API routes: what is served, with which headers, and what is refused. */
class StaticFilesTest {
  final Router router = new Router()
      .get("/api/whoami", (r, p) -> Response.ok(Map.of("name", "guest")))
      .fallback(new StaticFiles());

  static Request request(String method, String rawPath, String... headers) {
    List<String> segments = new ArrayList<>();
    for (String s : rawPath.split("/", -1)) {
      segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
    }
    segments.removeFirst();
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return new Request(method, rawPath, segments, Map.of(), h, new byte[0], new InetSocketAddress("127.0.0.1", 1));
  }

  Response get(String path, String... headers) {
    return router.handle(request("GET", path, headers));
  }

  static String body(Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static void assertNotFound(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.error()).isEqualTo("Object Not Found");
    });
  }

  @Test
  void theRootIsIndexHtmlWithItsContentTypeAndTheUiCsp() {
    Response r = get("/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("content-type", "text/html; charset=utf-8")
        .containsEntry("cache-control", "no-cache").containsEntry("x-content-type-options", "nosniff")
        .containsKey("content-security-policy").containsKey("etag");
    assertThat(body(r)).contains("<script type=\"module\" src=\"js/app.js\">");
    assertThat(body(get("/index.html"))).isEqualTo(body(r));
  }

  @Test
  void modulesStylesAndImagesGetTheirContentTypes() {
    assertThat(get("/js/app.js").headers()).containsEntry("content-type", "text/javascript; charset=utf-8");
    assertThat(get("/css/warren.css").headers()).containsEntry("content-type", "text/css; charset=utf-8");
    assertThat(get("/img/logo.svg").headers()).containsEntry("content-type", "image/svg+xml");
  }

  @Test
  void theChartLibraryComesFromItsWebJarAndIsCachedForAYear() {
    Response r = get("/webjars/uplot/1.6.30/dist/uPlot.esm.js");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("content-type", "text/javascript; charset=utf-8")
        .containsEntry("cache-control", "public, max-age=31536000, immutable");
    assertThat(body(r)).contains("export { uPlot as default }");
  }

  @Test
  void aMatchingEtagIsAnswered304WithoutBody() {
    String etag = get("/js/app.js").headers().get("etag");
    Response r = get("/js/app.js", "if-none-match", etag);
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void apiRoutesStillWinAndAnUnknownApiPathIsRabbitMqsNotFound() {
    assertThat(body(get("/api/whoami"))).isEqualTo("{\"name\":\"guest\"}");
    assertNotFound(() -> get("/api/no-such-thing"));
    assertNotFound(() -> get("/api/no-such-thing.js"));
  }

  @Test
  void aMissingFileOrADirectoryIs404() {
    assertNotFound(() -> get("/js/nope.js"));
    assertNotFound(() -> get("/js"));
    assertNotFound(() -> get("/js/"));
    assertNotFound(() -> get("/webjars/uplot"));
  }

  @Test
  void nothingOutsideTheUiCanBeNamed() {
    assertNotFound(() -> get("/../io/warrenmq/management/ui/StaticFiles.class"));
    assertNotFound(() -> get("/js/../../META-INF/MANIFEST.MF"));
    assertNotFound(() -> get("/js/..%2F..%2Fwww%2Findex.html"));
    assertNotFound(() -> get("/js%2F..%2Findex.html"));
    assertNotFound(() -> get("/webjars/../www/index.html"));
    assertNotFound(() -> get("/.hidden.txt"));
    assertNotFound(() -> get("/js\\app.js"));
  }

  @Test
  void otherMethodsOnAFilePathAreNotFound() {
    assertNotFound(() -> router.handle(request("POST", "/index.html")));
    assertNotFound(() -> router.handle(request("DELETE", "/")));
  }

  @Test
  void headIsServedLikeGet() {
    assertThat(router.handle(request("HEAD", "/")).status()).isEqualTo(200);
  }
}
