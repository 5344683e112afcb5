package io.warrenmq.management.api;

import io.warrenmq.management.http.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The ?page, ?page_size, ?name, ?use_regex parameters (rabbit_mgmt_util pagination_params). */
record Pagination(int page, int pageSize, @Nullable String name, boolean regex) {
  static @Nullable Pagination of(Call call) {
    String p = call.query("page");
    if (p == null) {
      return null;
    }
    String ps = call.query("page_size");
    Integer page = integer(p);
    Integer size = ps == null ? Integer.valueOf(Listing.DEFAULT_PAGE_SIZE) : integer(ps);
    if (page == null || size == null) {
      throw ApiException.badRequest("Pagination parameters are invalid");
    }
    if (page <= 0 || size <= 0 || size > Listing.MAX_PAGE_SIZE) {
      throw new ApiException(400, "invalid_pagination_parameters",
          "Invalid pagination parameters: page number " + page + ", page size " + (ps == null ? "undefined" : size));
    }
    return new Pagination(page, size, call.query("name"), "true".equals(call.query("use_regex")));
  }

  private static @Nullable Integer integer(String s) {
    try {
      return Integer.valueOf(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  <X> List<X> slice(List<X> filtered) {
    long from = (long) (page - 1) * pageSize;
    checkRange(from, filtered.size());
    return filtered.subList((int) from, (int) Math.min(filtered.size(), from + pageSize));
  }

  /** RabbitMQ's range_filter: a page that starts beyond the filtered items is 400 page_out_of_range. */
  void checkRange(long from, long filtered) {
    if (from > filtered) {
      throw new ApiException(400, "page_out_of_range", "Page out of range, page: " + page + " page size: "
          + pageSize + ", len: " + filtered);
    }
  }

  Map<String, Object> wrap(int total, int filtered, List<Map<String, Object>> items) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("filtered_count", filtered);
    m.put("item_count", items.size());
    m.put("items", items);
    m.put("page", page);
    m.put("page_count", (filtered + pageSize - 1) / pageSize);
    m.put("page_size", pageSize);
    m.put("total_count", total);
    return m;
  }
}
