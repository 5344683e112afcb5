package io.warrenmq.management.api;

import io.warrenmq.broker.term.ValidationError;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the configuration controllers (vhosts, users, permissions, policies, parameters, limits,
 * definitions) answer in common, as rabbit_mgmt_util does: 400 {@code bad_request} with the
 * reason RabbitMQ throws (a text, or its term as JSON: {@code ["not_base64","x"]}), 201 for a PUT
 * that created and 204 for one that changed, {@code reply_list}'s sorting and columns, and the
 * {@code key_missing} check of with_decode.
 */
final class ConfigReplies {
  private ConfigReplies() {}

  /** RabbitMQ's 400: {@code {"error":"bad_request","reason":...}}. */
  static Response badRequest(@Nullable Object reason) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("error", "bad_request");
    m.put("reason", reason);
    return Response.json(400, m);
  }

  /** An endpoint whose {@link ValidationError}s are answered 400 with their reason. */
  static ApiRoutes.Endpoint guarded(ApiRoutes.Endpoint e) {
    return c -> {
      try {
        return e.handle(c);
      } catch (ValidationError v) {
        return badRequest(v.reason().json());
      }
    };
  }

  /** 201 Created or 204 No Content (cowboy_rest: a PUT to a missing resource creates it). */
  static Response put(boolean created) {
    return created ? Response.created() : Response.noContent();
  }

  /**
   * rabbit_mgmt_util:with_decode's check: the keys the body must have, in order; the reason
   * lists each missing one, {@code [{key_missing,write},{key_missing,read}]}. Null when none is
   * missing.
   */
  static @Nullable Response missing(Map<String, Object> body, String... keys) {
    List<String> missing = new ArrayList<>();
    for (String k : keys) {
      if (!body.containsKey(k)) {
        missing.add("{key_missing," + k + "}");
      }
    }
    return missing.isEmpty() ? null : badRequest("[" + String.join(",", missing) + "]");
  }

  /**
   * rabbit_mgmt_util:reply_list: sorted by {@code ?sort} (then {@code defaultSorts}) or by
   * {@code defaultSorts}, reversed by {@code sort_reverse=true}, cut to {@code ?columns}; never
   * paginated.
   */
  static Response list(Call c, List<Map<String, Object>> items, List<String> defaultSorts) {
    List<String> keys = new ArrayList<>();
    String sort = c.query("sort");
    if (sort != null && !sort.isEmpty()) {
      keys.add(sort);
    }
    for (String k : defaultSorts) {
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
    Comparator<Map<String, Object>> order = (a, b) -> Listing.compareBy(a, b, keys);
    List<Map<String, Object>> sorted = new ArrayList<>(items);
    sorted.sort("true".equals(c.query("sort_reverse")) ? order.reversed() : order);
    String columns = c.query("columns");
    if (columns == null) {
      return Response.ok(sorted);
    }
    List<String> cols = List.of(columns.split(","));
    List<Map<String, Object>> out = new ArrayList<>(sorted.size());
    sorted.forEach(m -> out.add(Listing.select(m, cols)));
    return Response.ok(out);
  }

  /** An object of the given keys and values, in that order (values may be null). */
  static Map<String, Object> object(@Nullable Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
