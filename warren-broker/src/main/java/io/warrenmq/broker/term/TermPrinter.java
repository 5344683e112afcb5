package io.warrenmq.broker.term;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes {@link ErlangTerm}s as {@code ~tp} does, and as RabbitMQ's JSON encoder renders them. */
final class TermPrinter {
  private TermPrinter() {}

  static void print(StringBuilder b, ErlangTerm t) {
    switch (t) {
      case ErlangTerm.Atom a -> b.append(atom(a.name()));
      case ErlangTerm.Bin x -> {
        b.append("<<");
        quoted(b, x.text());
        b.append(">>");
      }
      case ErlangTerm.Chars c -> quoted(b, c.text());
      case ErlangTerm.Int i -> b.append(i.value());
      case ErlangTerm.Flt f -> b.append(floatText(f.value()));
      case ErlangTerm.Tuple x -> sequence(b, '{', x.elements(), '}');
      case ErlangTerm.ListOf l -> sequence(b, '[', l.elements(), ']');
      case ErlangTerm.MapOf m -> {
        b.append("#{");
        boolean first = true;
        for (Map.Entry<ErlangTerm, ErlangTerm> e : m.entries().entrySet()) {
          if (!first) {
            b.append(',');
          }
          first = false;
          print(b, e.getKey());
          b.append(" => ");
          print(b, e.getValue());
        }
        b.append('}');
      }
    }
  }

  private static void sequence(StringBuilder b, char open, List<ErlangTerm> elements, char close) {
    b.append(open);
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      print(b, elements.get(i));
    }
    b.append(close);
  }

  /** Erlang prints floats with the shortest exact digits, always with a fraction: 1.0, 0.5. */
  private static String floatText(double d) {
    String s = Double.toString(d);
    return s.contains("E") ? s.replace("E", "e") : s;
  }

  /** An atom is quoted unless it starts with a lower-case letter and has only word characters. */
  private static String atom(String name) {
    if (!name.isEmpty() && Character.isLowerCase(name.charAt(0)) && name.chars().allMatch(c ->
        Character.isLetterOrDigit(c) || c == '_' || c == '@')) {
      return name;
    }
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static void quoted(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
    b.append('"');
  }

  /** RabbitMQ's JSON encoding of a term inside an error reason (tuples flattened to lists). */
  static @Nullable Object json(ErlangTerm t) {
    return switch (t) {
      case ErlangTerm.Atom a -> switch (a.name()) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        case "null", "undefined" -> null;
        default -> a.name();
      };
      case ErlangTerm.Bin x -> x.text();
      case ErlangTerm.Chars c -> {
        List<Object> codes = new ArrayList<>();
        c.text().codePoints().forEach(codes::add);
        yield codes;
      }
      case ErlangTerm.Int i -> i.value();
      case ErlangTerm.Flt f -> f.value();
      case ErlangTerm.Tuple x -> list(x.elements());
      case ErlangTerm.ListOf l -> list(l.elements());
      case ErlangTerm.MapOf m -> {
        java.util.Map<String, @Nullable Object> out = new java.util.LinkedHashMap<>();
        m.entries().forEach((k, v) -> out.put(k instanceof ErlangTerm.Bin kb ? kb.text() : k.print(), json(v)));
        yield out;
      }
    };
  }

  private static List<@Nullable Object> list(List<ErlangTerm> elements) {
    List<@Nullable Object> out = new ArrayList<>(elements.size());
    elements.forEach(e -> out.add(json(e)));
    return out;
  }
}
