package io.warrenmq.server.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * rabbitmqctl's table output: a header row of the item names (unless {@code --no-table-headers}),
 * then one tab-separated row per entity. {@link Items} are the info items a listing knows, in the
 * order rabbitmqctl documents them.
 */
final class Table {
  private Table() {}

  /** Writes the header (unless {@code headers} is false) and the rows. */
  static <T> void write(StringBuilder out, boolean headers, List<String> header, List<T> rows,
      List<Function<T, String>> cols) {
    if (headers) {
      out.append(String.join("\t", header)).append('\n');
    }
    for (T r : rows) {
      List<String> cells = new ArrayList<>(cols.size());
      for (Function<T, String> c : cols) {
        cells.add(c.apply(r));
      }
      out.append(String.join("\t", cells)).append('\n');
    }
  }

  /** Writes a listing with its header, unless -s or --no-table-headers. */
  static <T> void write(StringBuilder out, CtlArgs a, List<String> header, List<T> rows, List<Function<T, String>> cols) {
    write(out, a.headers(true), header, rows, cols);
  }

  /** The info items of one kind of entity, by name. */
  static final class Items<T> {
    private final Map<String, Function<T, String>> items = new LinkedHashMap<>();

    Items<T> add(String name, Function<T, String> value) {
      items.put(name, value);
      return this;
    }

    /** The getters of the requested columns; a usage error names an unknown one and lists the known. */
    List<Function<T, String>> select(List<String> cols) {
      List<Function<T, String>> out = new ArrayList<>(cols.size());
      for (String c : cols) {
        Function<T, String> f = items.get(c);
        if (f == null) {
          throw new UsageException("unknown column '" + c + "'; known: "
              + String.join(", ", items.keySet().stream().sorted().toList()));
        }
        out.add(f);
      }
      return out;
    }

    /**
     * Checks the requested columns ({@code defaults} if none), then writes the banner and the
     * columns of {@code rows} (asked for only then, so a bad column is reported first).
     */
    void write(StringBuilder out, CtlArgs a, String banner, List<String> requested, List<String> defaults,
        Supplier<List<T>> rows) {
      // rabbitmqctl's InfoKeys.prepare_info_keys: "name,user" is two items too
      List<String> cols = requested.isEmpty() ? defaults
          : requested.stream().flatMap(c -> java.util.Arrays.stream(c.split(","))).filter(c -> !c.isEmpty()).toList();
      List<Function<T, String>> getters = select(cols);
      a.info(out, banner);
      Table.write(out, a, cols, rows.get(), getters);
    }
  }
}
