package io.warrenmq.management.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP answer: a status, headers and either a body in memory or a body produced piece by piece
 * while it is written ({@link #streamed}: large listings and metrics are never built whole).
 */
public final class Response {
  public static final String JSON = "application/json";

  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final byte[] body;
  private final @Nullable ChunkedInput<ByteBuf> stream;
  private @Nullable BodyWriter writer;

  /**
   * Writes a body piece by piece on the thread that handles the request (never the event loop):
   * the stream sends a chunk every 64 KiB and waits while the connection cannot take more.
   */
  @FunctionalInterface
  public interface BodyWriter {
    void writeTo(java.io.OutputStream out) throws java.io.IOException;
  }

  private Response(int status, @Nullable String contentType, byte[] body, @Nullable ChunkedInput<ByteBuf> stream) {
    this.status = status;
    this.body = body;
    this.stream = stream;
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
  }

  /** {@code value} written as JSON with the given status. */
  public static Response json(int status, Object value) {
    return new Response(status, JSON, Json.write(value), null);
  }

  /** 200 with {@code value} as JSON. */
  public static Response ok(Object value) {
    return json(200, value);
  }

  /** 201 Created, as RabbitMQ answers a PUT that created the object. */
  public static Response created() {
    return new Response(201, null, new byte[0], null);
  }

  /** 204 No Content: a PUT that changed an existing object, a DELETE. */
  public static Response noContent() {
    return new Response(204, null, new byte[0], null);
  }

  public static Response bytes(int status, String contentType, byte[] body) {
    return new Response(status, contentType, body, null);
  }

  public static Response text(int status, String contentType, String body) {
    return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), null);
  }

  /** A body produced while it is written, in chunked transfer encoding. */
  public static Response streamed(int status, String contentType, ChunkedInput<ByteBuf> stream) {
    return new Response(status, contentType, new byte[0], stream);
  }

  /**
   * A body that {@code writer} produces while it is sent, in chunked transfer encoding, on the
   * request's thread: for answers too large to build (metrics of 100,000 queues).
   */
  public static Response written(int status, String contentType, BodyWriter writer) {
    Response r = new Response(status, contentType, new byte[0], null);
    r.writer = writer;
    return r;
  }

  /** RabbitMQ's error body for {@code e}. */
  public static Response error(ApiException e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", e.error());
    m.put("reason", e.reasonJson());
    Response r = json(e.status(), m);
    e.headers().forEach(r::header);
    return r;
  }

  public Response header(String name, String value) {
    headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
    return this;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public byte[] body() {
    return body;
  }

  public @Nullable ChunkedInput<ByteBuf> stream() {
    return stream;
  }

  public @Nullable BodyWriter writer() {
    return writer;
  }
}
