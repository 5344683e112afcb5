package io.warrenmq.broker.term;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An Erlang term of the kinds RabbitMQ's error reasons are made of. {@link #print()} writes it as
 * {@code io_lib:format("~tp", [T])} does; {@link #json()} gives the JSON value the management API
 * answers for it (rabbit_web_dispatch_access_control format_reason: tuples become lists, binaries
 * and atoms strings, a charlist a list of character codes as RabbitMQ's JSON encoder writes it).
 */
public sealed interface ErlangTerm {
  /** An atom: {@code tags_not_present}, {@code true}. */
  record Atom(String name) implements ErlangTerm {}

  /** A UTF-8 binary: {@code <<"abc">>}. */
  record Bin(String text) implements ErlangTerm {}

  /** A charlist (an Erlang string): {@code "abc"}. */
  record Chars(String text) implements ErlangTerm {}

  record Int(long value) implements ErlangTerm {}

  record Flt(double value) implements ErlangTerm {}

  record Tuple(List<ErlangTerm> elements) implements ErlangTerm {}

  record ListOf(List<ErlangTerm> elements) implements ErlangTerm {}

  /** A map, printed {@code #{K => V}} with its keys in Erlang's order. */
  record MapOf(Map<ErlangTerm, ErlangTerm> entries) implements ErlangTerm {}

  static Atom atom(String name) {
    return new Atom(name);
  }

  static Bin bin(String text) {
    return new Bin(text);
  }

  static Tuple tuple(ErlangTerm... elements) {
    return new Tuple(List.of(elements));
  }

  /**
   * A JSON value as RabbitMQ's JSON decoder hands it over: strings are binaries, integers and
   * floats numbers, true/false/null atoms, arrays lists and objects maps.
   */
  static ErlangTerm ofJson(@Nullable Object v) {
    return switch (v) {
      case null -> atom("null");
      case ErlangTerm t -> t;
      case Boolean b -> atom(b.toString());
      case Double d -> new Flt(d);
      case Float f -> new Flt(f);
      case java.math.BigDecimal d -> new Flt(d.doubleValue());
      case io.warrenmq.amqp.types.FieldTable t -> ofJson(t.asMap());
      case Number n -> new Int(n.longValue());
      case List<?> l -> {
        List<ErlangTerm> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(ofJson(x)));
        yield new ListOf(out);
      }
      case Map<?, ?> m -> {
        Map<ErlangTerm, ErlangTerm> out = new LinkedHashMap<>();
        new TreeMap<>(m).forEach((k, x) -> out.put(bin(String.valueOf(k)), ofJson(x)));
        yield new MapOf(out);
      }
      default -> bin(v.toString());
    };
  }

  /** The term as {@code ~tp} prints it, on one line. */
  default String print() {
    StringBuilder b = new StringBuilder();
    TermPrinter.print(b, this);
    return b.toString();
  }

  /**
   * The management API's JSON value of this term as an error reason: a top-level binary or
   * charlist is its text, an atom its name (printed), a tuple a list of its elements' values.
   */
  default Object json() {
    return switch (this) {
      case Bin b -> b.text();
      case Chars c -> c.text();
      case Atom a -> a.name();
      case Int i -> print();
      case Flt f -> print();
      default -> TermPrinter.json(this);
    };
  }
}
