package io.warrenmq.management.api;

import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A listing answered as RabbitMQ's rabbit_mgmt_util reply_list_or_paginate answers it: sorted by
 * {@code ?sort=} (a dotted key, then the default keys) or the default keys ({@code vhost},
 * {@code name}), reversed by {@code sort_reverse=true}; with {@code ?page=} (and
 * {@code page_size}, at most 500, default 100) an object with {@code total_count},
 * {@code item_count}, {@code filtered_count}, {@code page}, {@code page_size}, {@code page_count}
 * and {@code items}, filtered by {@code name} (a case-insensitive substring, or a regex with
 * {@code use_regex=true}); {@code columns=a,b.c} keeps only those keys.
 *
 * <p>Cost: with the default order, the objects are sorted by their own comparator and only the
 * page is rendered as JSON maps, so a page of a 100,000-queue listing renders 100 queues. Sorting
 * by another key renders every object first, as RabbitMQ's "slow query mode" does.
 *
 * @param <T> the listed objects (queues, exchanges, ...)
 */
public final class Listing<T> {
  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 500;

  private final List<T> objects;
  private final @Nullable Source<T> source;
  private final Function<T, Map<String, Object>> render;
  private final Comparator<T> defaultOrder;
  private final Function<T, String> name;
  private final List<String> defaultSorts;
  private boolean paginated = true;

  /**
   * Objects already in the default order, read lazily: the broker's sorted indexes. A page of the
   * default order then costs its offset and its size, never the listing's size or a sort.
   */
  public interface Source<T> {
    /** How many objects there are (cheap). */
    int size();

    /** The objects in the default order, or in reverse; weakly consistent. */
    Iterator<T> iterator(boolean reverse);

    /** A list already in the default order. */
    static <T> Source<T> of(List<T> sorted) {
      return new Source<>() {
        @Override
        public int size() {
          return sorted.size();
        }

        @Override
        public Iterator<T> iterator(boolean reverse) {
          return (reverse ? sorted.reversed() : sorted).iterator();
        }
      };
    }
  }

  /**
   * @param objects what to list (not rendered yet)
   * @param render an object's JSON map
   * @param defaultOrder the order of {@code defaultSorts}, on the objects themselves
   * @param name an object's name, for the {@code name} filter
   * @param defaultSorts the keys the default order sorts by (e.g. vhost, name)
   */
  public Listing(List<T> objects, Function<T, Map<String, Object>> render, Comparator<T> defaultOrder,
      Function<T, String> name, List<String> defaultSorts) {
    this.objects = objects;
    this.source = null;
    this.render = render;
    this.defaultOrder = defaultOrder;
    this.name = name;
    this.defaultSorts = defaultSorts;
  }

  private Listing(Source<T> source, Function<T, Map<String, Object>> render, Comparator<T> defaultOrder,
      Function<T, String> name, List<String> defaultSorts) {
    this.objects = List.of();
    this.source = source;
    this.render = render;
    this.defaultOrder = defaultOrder;
    this.name = name;
    this.defaultSorts = defaultSorts;
  }

  /** A listing of objects that come in the default order ({@link Source}). */
  public static <T> Listing<T> sorted(Source<T> source, Function<T, Map<String, Object>> render,
      Comparator<T> defaultOrder, Function<T, String> name, List<String> defaultSorts) {
    return new Listing<>(source, render, defaultOrder, name, defaultSorts);
  }

  /**
   * The endpoint answers a plain list whatever the query, as RabbitMQ's reply_list (bindings,
   * consumers): {@code page} and its companions are ignored; sort and columns still apply.
   */
  public Listing<T> unpaginated() {
    paginated = false;
    return this;
  }

  /** A listing of maps already rendered, sorted by {@code defaultSorts} (e.g. users by name). */
  public static Listing<Map<String, Object>> ofMaps(List<Map<String, Object>> maps, List<String> defaultSorts) {
    Comparator<Map<String, Object>> order = (a, b) -> compareBy(a, b, defaultSorts);
    return new Listing<>(maps, m -> m, order, m -> String.valueOf(m.getOrDefault("name", "")), defaultSorts);
  }

  public Response reply(Call call) {
    Pagination page = paginated ? Pagination.of(call) : null;
    String sort = call.query("sort");
    boolean reverse = "true".equals(call.query("sort_reverse"));
    List<String> columns = columns(call.query("columns"));
    List<Map<String, Object>> rendered;
    if (sort == null || sort.isEmpty() || !defaultSorts.isEmpty() && sort.equals(defaultSorts.getFirst())) {
      if (source != null) {
        return replySorted(source, page, reverse, columns);
      }
      // the default order: sort the objects, render only what is answered
      int total = objects.size();
      List<T> sorted = new ArrayList<>(objects);
      sorted.sort(reverse ? defaultOrder.reversed() : defaultOrder);
      List<T> filtered = page == null ? sorted : filter(sorted, name, page);
      List<T> slice = page == null ? filtered : page.slice(filtered);
      rendered = new ArrayList<>(slice.size());
      for (T t : slice) {
        rendered.add(select(render.apply(t), columns));
      }
      return page == null ? Response.ok(rendered) : Response.ok(page.wrap(total, filtered.size(), rendered));
    }
    List<T> objects = objects();
    int total = objects.size();
    List<String> keys = new ArrayList<>();
    keys.add(sort);
    for (String k : defaultSorts) {
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
    List<Map<String, Object>> all = new ArrayList<>(objects.size());
    for (T t : objects) {
      all.add(render.apply(t));
    }
    Comparator<Map<String, Object>> order = (a, b) -> compareBy(a, b, keys);
    all.sort(reverse ? order.reversed() : order);
    List<Map<String, Object>> filtered = page == null ? all
        : filter(all, m -> String.valueOf(m.getOrDefault("name", "")), page);
    List<Map<String, Object>> slice = page == null ? filtered : page.slice(filtered);
    rendered = new ArrayList<>(slice.size());
    for (Map<String, Object> m : slice) {
      rendered.add(select(m, columns));
    }
    return page == null ? Response.ok(rendered) : Response.ok(page.wrap(total, filtered.size(), rendered));
  }

  /** Every object, in the default order for a sorted source. */
  private List<T> objects() {
    if (source == null) {
      return objects;
    }
    List<T> all = new ArrayList<>(source.size());
    source.iterator(false).forEachRemaining(all::add);
    return all;
  }

  /**
   * The default order of a sorted source: the objects before the page are skipped (or, with a
   * name filter, matched and counted), the page's are rendered, the rest are not visited unless a
   * filter needs its count.
   */
  private Response replySorted(Source<T> src, @Nullable Pagination page, boolean reverse, List<String> columns) {
    Iterator<T> it = src.iterator(reverse);
    List<Map<String, Object>> rendered = new ArrayList<>();
    if (page == null) {
      it.forEachRemaining(t -> rendered.add(select(render.apply(t), columns)));
      return Response.ok(rendered);
    }
    java.util.function.Predicate<T> match = matcher(page);
    long from = (long) (page.page() - 1) * page.pageSize();
    long to = from + page.pageSize();
    long seen = 0;
    while (it.hasNext() && (match != null || seen < to)) {
      T t = it.next();
      if (match != null && !match.test(t)) {
        continue;
      }
      if (seen >= from && seen < to) {
        rendered.add(select(render.apply(t), columns));
      }
      seen++;
    }
    int total = src.size();
    long filtered = match == null ? Math.max(total, seen) : seen;
    page.checkRange(from, filtered);
    return Response.ok(page.wrap(Math.max(total, (int) seen), (int) filtered, rendered));
  }

  /** The name filter of the page's query as a test on the objects, or null for none. */
  private java.util.function.@Nullable Predicate<T> matcher(Pagination page) {
    String n = page.name();
    if (n == null || n.isEmpty()) {
      return null;
    }
    if (page.regex()) {
      Pattern p;
      try {
        p = Pattern.compile(n, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      } catch (PatternSyntaxException e) {
        throw ApiException.badRequest("invalid regular expression: " + e.getDescription());
      }
      return t -> p.matcher(name.apply(t)).find();
    }
    String lower = n.toLowerCase(Locale.ROOT);
    return t -> name.apply(t).toLowerCase(Locale.ROOT).contains(lower);
  }

  private static <X> List<X> filter(List<X> in, Function<X, String> name, Pagination page) {
    String n = page.name();
    if (n == null || n.isEmpty()) {
      return in;
    }
    List<X> out = new ArrayList<>();
    if (page.regex()) {
      Pattern p;
      try {
        p = Pattern.compile(n, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      } catch (PatternSyntaxException e) {
        throw ApiException.badRequest("invalid regular expression: " + e.getDescription());
      }
      for (X x : in) {
        if (p.matcher(name.apply(x)).find()) {
          out.add(x);
        }
      }
    } else {
      String lower = n.toLowerCase(Locale.ROOT);
      for (X x : in) {
        if (name.apply(x).toLowerCase(Locale.ROOT).contains(lower)) {
          out.add(x);
        }
      }
    }
    return out;
  }

  private static List<String> columns(@Nullable String columns) {
    return columns == null ? List.of() : List.of(columns.split(","));
  }

  /** Keeps only the requested columns (dotted paths descend into nested objects). */
  static Map<String, Object> select(Map<String, Object> item, List<String> columns) {
    if (columns.isEmpty()) {
      return item;
    }
    List<List<String>> paths = new ArrayList<>();
    for (String c : columns) {
      if (!c.isBlank()) {
        paths.add(List.of(c.strip().split("\\.")));
      }
    }
    return select(item, paths, 0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> select(Map<String, Object> item, List<List<String>> paths, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : item.entrySet()) {
      List<List<String>> below = new ArrayList<>();
      boolean whole = false;
      for (List<String> p : paths) {
        if (p.size() > depth && p.get(depth).equals(e.getKey())) {
          if (p.size() == depth + 1) {
            whole = true;
          } else {
            below.add(p);
          }
        }
      }
      if (whole) {
        out.put(e.getKey(), e.getValue());
      } else if (!below.isEmpty() && e.getValue() instanceof Map<?, ?> m) {
        out.put(e.getKey(), select((Map<String, Object>) m, below, depth + 1));
      }
    }
    return out;
  }

  /** Compares two rendered items by dotted keys in Erlang term order, as rabbit_mgmt_util sort_list. */
  static int compareBy(Map<String, Object> a, Map<String, Object> b, List<String> keys) {
    for (String k : keys) {
      int c = compareValues(dotted(a, k), dotted(b, k));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** A dotted key's value; a missing one sorts as 0, before everything else (get_dotted_value). */
  static Object dotted(Map<String, Object> item, String key) {
    Object v = item;
    for (String part : key.split("\\.")) {
      if (!(v instanceof Map<?, ?> m) || !m.containsKey(part)) {
        return 0L;
      }
      v = m.get(part);
    }
    return v == null ? "null" : v;
  }

  /** Erlang's term order over JSON values: number < atom (boolean) < map < list < string. */
  static int compareValues(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    return switch (ra) {
      case 0 -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
      case 1 -> a.toString().compareTo(b.toString());
      case 4 -> compareUtf8(a.toString(), b.toString());
      default -> 0;
    };
  }

  private static int rank(Object v) {
    if (v instanceof Number) {
      return 0;
    }
    if (v instanceof Boolean) {
      return 1;
    }
    if (v instanceof Map<?, ?>) {
      return 2;
    }
    if (v instanceof List<?>) {
      return 3;
    }
    return 4;
  }

  /** Binaries compare byte-wise in Erlang: UTF-8 order, which is code point order. */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
