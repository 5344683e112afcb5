package io.warrenmq.management.stats;

import io.warrenmq.management.http.ApiException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The sample ranges a request asks for (rabbit_mgmt_util:range): {@code lengths_age} and
 * {@code lengths_incr} for queue lengths (and the overview's churn rates), {@code msg_rates_*} for
 * message rates, {@code data_rates_*} for connections' byte rates, in seconds. Without both
 * parameters of a pair there is no range and details carry only {@code rate}. An age or increment
 * that is not positive, or more than 500 samples, is RabbitMQ's 400 "Invalid range parameters".
 *
 * @param lengths queue lengths, or null
 * @param msgRates message rates, or null
 * @param dataRates byte rates, or null
 */
public record Ranges(@Nullable Range lengths, @Nullable Range msgRates, @Nullable Range dataRates) {
  /** rabbit_mgmt_util ?MAX_RANGE: at most this many samples per range. */
  static final int MAX_SAMPLES = 500;

  public static final Ranges NONE = new Ranges(null, null, null);

  /**
   * One range: samples every {@code incrMs} from {@code lastMs - ageMs} to {@code lastMs}, which is
   * now rounded down to the increment (rabbit_mgmt_util:range, floor).
   */
  public record Range(long firstMs, long lastMs, long incrMs) {}

  /** The ranges of a request's query parameters ({@code query} gives a parameter or null), now. */
  public static Ranges of(Function<String, @Nullable String> query) {
    return of(query, System.currentTimeMillis());
  }

  static Ranges of(Function<String, @Nullable String> query, long nowMs) {
    return new Ranges(range("lengths", query, nowMs), range("msg_rates", query, nowMs),
        range("data_rates", query, nowMs));
  }

  private static @Nullable Range range(String prefix, Function<String, @Nullable String> query, long nowMs) {
    Long age = integer(query.apply(prefix + "_age"));
    Long incr = integer(query.apply(prefix + "_incr"));
    if (age == null || incr == null) {
      return null;
    }
    if (age <= 0 || incr <= 0 || age / incr > MAX_SAMPLES) {
      throw ApiException.badRequest("Invalid range parameters: age " + age + ", incr " + incr);
    }
    long incrMs = incr * 1000;
    long last = nowMs / incrMs * incrMs;
    return new Range(last - age * 1000, last, incrMs);
  }

  /** An integer parameter; anything else counts as absent, as list_to_integer's failure does there. */
  private static @Nullable Long integer(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      return Long.valueOf(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public boolean any() {
    return lengths != null || msgRates != null || dataRates != null;
  }
}
