package io.warrenmq.management.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request, copied out of Netty's buffers so that it can be handled on any thread.
 *
 * @param method upper-case HTTP method
 * @param path the path as sent (percent-encoded), without the query
 * @param segments the path's segments, each percent-decoded on its own (so {@code %2F}, RabbitMQ's
 *     spelling of the vhost {@code /}, stays inside its segment)
 * @param query the query parameters, decoded
 * @param headers the request headers
 * @param body the request body (empty if none)
 * @param remote the client's address
 */
public record Request(
    String method,
    String path,
    List<String> segments,
    Map<String, List<String>> query,
    HttpHeaders headers,
    byte[] body,
    InetSocketAddress remote) {

  /** The first value of query parameter {@code name}, or null. */
  public @Nullable String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }

  public @Nullable String header(String name) {
    return headers.get(name);
  }

  public boolean fromLoopback() {
    return remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
  }
}
