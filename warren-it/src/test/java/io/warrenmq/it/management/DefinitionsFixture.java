package io.warrenmq.it.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The definitions exported by a real RabbitMQ 3.10.8 for a representative topology
 * ({@code src/test/resources/definitions/}, made by its make-fixture.sh), and the comparison of
 * two exports: the same objects, each with the fields the reference has.
 */
final class DefinitionsFixture {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The categories of a definitions file that hold objects. */
  static final List<String> CATEGORIES = List.of("users", "vhosts", "permissions", "topic_permissions", "parameters",
      "global_parameters", "policies", "queues", "exchanges", "bindings");

  private DefinitionsFixture() {}

  /** rabbitmq-3.10.8.json (GET /api/definitions) or rabbitmqctl-3.10.8.json (rabbitmqctl export_definitions). */
  static Path path(String name) {
    try {
      return Path.of(DefinitionsFixture.class.getResource("/definitions/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(String name) {
    try {
      return Files.readString(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> parse(String json) {
    try {
      return JSON.readValue(json, new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that {@code actual} holds the objects of {@code expected} in each category, no more
   * and no fewer, each with at least the expected object's fields and their values. Global
   * parameters named internal* (a broker's own cluster id) are left out on both sides.
   */
  @SuppressWarnings("unchecked")
  static void assertSameObjects(Map<String, Object> expected, Map<String, Object> actual) {
    for (String c : CATEGORIES) {
      List<Map<String, Object>> e = withoutInternal((List<Map<String, Object>>) expected.getOrDefault(c, List.of()));
      List<Map<String, Object>> a = withoutInternal((List<Map<String, Object>>) actual.getOrDefault(c, List.of()));
      List<Map<String, Object>> restricted = a.stream().map(x -> {
        Map<String, Object> r = new LinkedHashMap<>();
        for (Map<String, Object> want : e) {
          if (x.keySet().containsAll(want.keySet())) {
            want.keySet().forEach(k -> r.put(k, x.get(k)));
            if (r.equals(want)) {
              return r;
            }
            r.clear();
          }
        }
        return x;
      }).toList();
      assertThat(restricted).as(c).containsExactlyInAnyOrderElementsOf(e);
    }
  }

  private static List<Map<String, Object>> withoutInternal(List<Map<String, Object>> items) {
    return items.stream().filter(m -> !String.valueOf(m.get("name")).startsWith("internal")
        || m.containsKey("vhost")).toList();
  }
}
