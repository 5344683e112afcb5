package io.warrenmq.it.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP client for the management API of a test broker (JDK's {@link HttpClient}), with
 * basic credentials and JSON bodies, as scripts and rabbitmqadmin talk to it.
 */
public final class ManagementHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  private final String base;
  private final @Nullable String authorization;

  public ManagementHttp(String host, int port, @Nullable String user, @Nullable String password) {
    this.base = "http://" + host + ":" + port;
    this.authorization = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** guest/guest on the broker's management port. */
  public static ManagementHttp guest(BrokerExtension broker) {
    return as(broker, "guest", "guest");
  }

  public static ManagementHttp as(BrokerExtension broker, @Nullable String user, @Nullable String password) {
    return new ManagementHttp("127.0.0.1", broker.managementPort(), user, password);
  }

  /** A path segment as RabbitMQ's clients encode it: {@code /} is {@code %2F}. */
  public static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** One answer: status, body, headers. */
  public record Reply(int status, String body, HttpHeaders headers) {
    public Map<String, Object> json() {
      return parse(new TypeReference<>() {});
    }

    public List<Map<String, Object>> jsonList() {
      return parse(new TypeReference<>() {});
    }

    private <T> T parse(TypeReference<T> type) {
      try {
        return JSON.readValue(body, type);
      } catch (IOException e) {
        throw new AssertionError("not the JSON expected (" + status + "): " + body, e);
      }
    }

    public @Nullable String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  public Reply get(String path) {
    return send("GET", path, null);
  }

  public Reply delete(String path) {
    return send("DELETE", path, null);
  }

  public Reply put(String path, @Nullable Object body) {
    return send("PUT", path, body);
  }

  public Reply post(String path, @Nullable Object body) {
    return send("POST", path, body);
  }

  /** {@code body} is sent as JSON: a String as it is, anything else written by Jackson. */
  public Reply send(String method, String path, @Nullable Object body, String... headers) {
    try {
      String text = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
      boolean typed = false;
      for (int i = 0; i + 1 < headers.length; i += 2) {
        typed |= headers[i].equalsIgnoreCase("content-type");
      }
      if (body != null && !typed) {
        b.header("content-type", "application/json");
      }
      if (authorization != null) {
        b.header("authorization", authorization);
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
