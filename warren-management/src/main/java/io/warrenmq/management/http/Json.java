package io.warrenmq.management.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.Map;

/**
 * JSON with Jackson: one mapper, configured once and thread-safe afterwards. Requests that are not
 * JSON are answered 400 as RabbitMQ answers them.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] write(Object value) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
      try (com.fasterxml.jackson.core.JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
        g.setCodec(MAPPER);
        writeValue(g, value);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
    }
  }

  /**
   * Writes maps, lists, strings, numbers and booleans directly (the API's answers are made of
   * them; Jackson's map serializer would look a serializer up for every value), anything else
   * through the mapper.
   */
  private static void writeValue(com.fasterxml.jackson.core.JsonGenerator g, @org.jspecify.annotations.Nullable Object v)
      throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          writeValue(g, e.getValue());
        }
        g.writeEndObject();
      }
      case java.util.List<?> l -> {
        g.writeStartArray();
        for (Object o : l) {
          writeValue(g, o);
        }
        g.writeEndArray();
      }
      default -> g.writeObject(v);
    }
  }

  /**
   * The request body as a JSON object: an empty body or {@code null} is an empty object, as in
   * RabbitMQ (rabbit_mgmt_util decode); anything else that is not a JSON object is 400
   * {@code not_json}.
   */
  public static JsonNode read(byte[] body) {
    String trimmed = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
    if (trimmed.isEmpty() || trimmed.equals("null") || trimmed.equals("undefined")) {
      return MAPPER.createObjectNode();
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("not_json");
    }
    if (n.isTextual()) {
      throw ApiException.badRequest(
          "invalid payload: the request body JSON-decoded to a string. Is the input doubly-JSON-encoded?");
    }
    if (!n.isObject()) {
      throw ApiException.badRequest("not_json");
    }
    return n;
  }

  /** The request body as a map ({@link #read}). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readObject(byte[] body) {
    return MAPPER.convertValue(read(body), Map.class);
  }
}
