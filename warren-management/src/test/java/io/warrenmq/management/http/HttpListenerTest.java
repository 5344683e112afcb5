package io.warrenmq.management.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.stream.ChunkedInput;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP listener and router on a real port with a real HTTP client. */
class HttpListenerTest {
  static EventLoopGroup group;
  static ExecutorService executor;
  static HttpListener listener;
  static int port;
  static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    executor = Executors.newVirtualThreadPerTaskExecutor();
    Router router = new Router()
        .get("/api/queues/detailed", (r, p) -> Response.ok(Map.of("detailed", true)))
        .get("/api/queues/{vhost}", (r, p) -> Response.ok(Map.of("vhost", p.get("vhost"))))
        .get("/api/queues/{vhost}/{name}", (r, p) -> Response.ok(p))
        .put("/api/queues/{vhost}/{name}", (r, p) -> Response.created())
        .get("/api/slow/{name}", (r, p) -> {
          try {
            Thread.sleep(300); // answered after the requests behind it, were they run side by side
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Response.ok(p);
        })
        .get("/api/fail", (r, p) -> {
          throw new IllegalStateException("a bug");
        })
        .get("/api/bad", (r, p) -> {
          throw ApiException.badRequest("nope");
        })
        .get("/stream", (r, p) -> Response.streamed(200, "text/plain", new Lines(1000)))
        .post("/echo", (r, p) -> Response.bytes(200, "application/octet-stream", r.body()));
    listener = new HttpListener("test", group, group, NioServerSocketChannel.class, router, executor);
    port = listener.bind(new InetSocketAddress("127.0.0.1", 0)).getPort();
  }

  @AfterAll
  static void stop() {
    listener.close();
    group.shutdownGracefully().syncUninterruptibly();
    executor.shutdown();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPercentEncodedSlashStaysInsideItsSegment() throws Exception {
    HttpResponse<String> r = get("/api/queues/%2F/a%20b+c");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.readObject(r.body().getBytes(StandardCharsets.UTF_8)))
        .containsEntry("vhost", "/").containsEntry("name", "a b+c");
  }

  @Test
  void literalTemplatesAddedFirstWin() throws Exception {
    assertThat(get("/api/queues/detailed").body()).isEqualTo("{\"detailed\":true}");
    assertThat(get("/api/queues/other").body()).isEqualTo("{\"vhost\":\"other\"}");
    assertThat(get("/api/queues/other/").body()).as("a trailing slash is ignored").isEqualTo("{\"vhost\":\"other\"}");
  }

  @Test
  void anUnknownPathIs404AndAnUnknownMethod405() throws Exception {
    HttpResponse<String> r = get("/api/nothing");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}");
    HttpResponse<String> d = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/queues/x/y"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(d.statusCode()).isEqualTo(405);
    assertThat(d.headers().firstValue("allow")).hasValue("GET, PUT");
  }

  @Test
  void errorsAreRabbitMqsJsonAndABugIs500WhileTheListenerGoesOn() throws Exception {
    HttpResponse<String> bad = get("/api/bad");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(bad.body()).isEqualTo("{\"error\":\"bad_request\",\"reason\":\"nope\"}");
    assertThat(get("/api/fail").statusCode()).isEqualTo(500);
    assertThat(get("/api/queues/detailed").statusCode()).isEqualTo(200);
  }

  @Test
  void aStreamedBodyArrivesWhole() throws Exception {
    HttpResponse<String> r = get("/stream");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> lines = r.body().lines().toList();
    assertThat(lines).hasSize(1000);
    assertThat(lines.getLast()).isEqualTo("line 999");
  }

  @Test
  void aRequestBodyIsHandedOverIntact() throws Exception {
    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void requestsOnOneConnectionAreAnsweredInOrder() throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      // sent in one write, so the three are decoded in one read; the first is the slowest
      String req = "GET /api/slow/a HTTP/1.1\r\nHost: x\r\n\r\nGET /api/queues/b HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /api/queues/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all.indexOf("\"a\"")).isPositive();
      assertThat(all.indexOf("\"a\"")).isLessThan(all.indexOf("\"b\""));
      assertThat(all.indexOf("\"b\"")).isLessThan(all.indexOf("\"c\""));
    }
  }

  /** A body of {@code n} lines, produced a line at a time. */
  static final class Lines implements ChunkedInput<ByteBuf> {
    private final int n;
    private int i;

    Lines(int n) {
      this.n = n;
    }

    @Override
    public boolean isEndOfInput() {
      return i >= n;
    }

    @Override
    public void close() {}

    @Override
    @Deprecated
    public ByteBuf readChunk(io.netty.channel.ChannelHandlerContext ctx) {
      return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
      if (isEndOfInput()) {
        return null;
      }
      ByteBuf b = allocator.buffer();
      b.writeCharSequence("line " + i++ + "\n", StandardCharsets.UTF_8);
      return b;
    }

    @Override
    public long length() {
      return -1;
    }

    @Override
    public long progress() {
      return i;
    }
  }
}
