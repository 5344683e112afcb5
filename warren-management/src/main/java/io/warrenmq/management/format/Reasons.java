package io.warrenmq.management.format;

import io.warrenmq.management.http.ApiException;
import java.util.List;

/** RabbitMQ's 400 answers whose reason is an Erlang tuple, printed as a JSON list. */
public final class Reasons {
  private Reasons() {}

  /** 400 bad_request with the reason {@code [tag, value]} ({@code {not_int, delivery_mode}}). */
  public static ApiException pair(String tag, Object value) {
    return new ApiException(400, "bad_request", List.of(tag, value));
  }
}
