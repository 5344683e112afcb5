package io.warrenmq.server.ctl;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The number and unit parsing of rabbitmqctl's memory and disk commands (RabbitMQ.CLI.Core.Memory,
 * Elixir's Integer.parse and Float.parse: a leading number, the rest returned as it is) and its
 * byte display (RabbitMQ.CLI.InformationUnit.convert: rounded to 4 decimals).
 */
final class InformationUnits {
  private static final Pattern INTEGER = Pattern.compile("^[+-]?\\d+");
  private static final Pattern FLOAT = Pattern.compile("^[+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");

  private InformationUnits() {}

  /** Elixir's {@code Integer.parse}: the leading integer and the rest, or null if there is none. */
  record Parsed<N>(N value, String rest) {}

  static @Nullable Parsed<Long> parseInteger(String s) {
    Matcher m = INTEGER.matcher(s);
    if (!m.find()) {
      return null;
    }
    try {
      return new Parsed<>(Long.parseLong(m.group()), s.substring(m.end()));
    } catch (NumberFormatException e) {
      return null; // beyond a long: no memory is that large
    }
  }

  /** Elixir's {@code Float.parse}: the leading number (an integer is a float too) and the rest. */
  static @Nullable Parsed<Double> parseFloat(String s) {
    Matcher m = FLOAT.matcher(s);
    if (!m.find()) {
      return null;
    }
    return new Parsed<>(Double.parseDouble(m.group()), s.substring(m.end()));
  }

  /** rabbitmqctl's memory_units. */
  static boolean isMemoryUnit(String unit) {
    return switch (unit) {
      case "k", "kiB", "M", "MiB", "G", "GiB", "kB", "MB", "GB", "" -> true;
      default -> false;
    };
  }

  /** memory_unit_absolute: {@code num} of {@code unit} in bytes, or null for a negative number or unknown unit. */
  static @Nullable Long bytes(long num, String unit) {
    if (num < 0) {
      return null;
    }
    double factor = switch (unit) {
      case "k", "kiB" -> Math.pow(2, 10);
      case "M", "MiB" -> Math.pow(2, 20);
      case "G", "GiB" -> Math.pow(2, 30);
      case "kB" -> 1e3;
      case "MB" -> 1e6;
      case "GB" -> 1e9;
      case "" -> 1;
      default -> -1;
    };
    return factor < 0 ? null : Math.round(num * factor);
  }

  /** Bytes in gigabytes as rabbitmqctl status shows them: "6.6783" (IU.convert(bytes, "gb")). */
  static String gb(long bytes) {
    double v = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1_000_000_000L))
        .setScale(4, RoundingMode.HALF_UP).doubleValue();
    return ErlangTerms.erlangFloat(v);
  }
}
