package io.warrenmq.management.http;

/**
 * An HTTP error answered with RabbitMQ's JSON body {@code {"error": ..., "reason": ...}} and its
 * status (rabbit_mgmt_util halt_response): 400 bad_request, 401 not_authorised / not_authorized,
 * 404 not_found, 405, 503 service_unavailable, ... Carries no stack trace: it is control flow.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;
  private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
  /** The reason as the JSON body carries it: a string, or a list for an Erlang tuple. */
  private final Object reasonJson;

  public ApiException(int status, String error, String reason) {
    super(reason, null, false, false);
    this.status = status;
    this.error = error;
    this.reasonJson = reason;
  }

  /**
   * An error whose reason RabbitMQ formats from an Erlang tuple (rabbit_web_dispatch_access_control
   * format_reason): a JSON list, e.g. {@code ["not_boolean","yes"]}.
   */
  public ApiException(int status, String error, java.util.List<?> reason) {
    super(String.valueOf(reason), null, false, false);
    this.status = status;
    this.error = error;
    this.reasonJson = java.util.List.copyOf(reason);
  }

  public static ApiException badRequest(String reason) {
    return new ApiException(400, "bad_request", reason);
  }

  public static ApiException notFound(String reason) {
    return new ApiException(404, "not_found", reason);
  }

  /** RabbitMQ's refusal of an authenticated user (rabbit_web_dispatch_access_control not_authorised). */
  public static ApiException notAuthorised(String reason) {
    return new ApiException(401, "not_authorised", reason);
  }

  /** A header the error response carries ({@code www-authenticate} for a missing login). */
  public ApiException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public java.util.Map<String, String> headers() {
    return headers;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String reason() {
    return getMessage();
  }

  /** The reason for the JSON body: a string, or a list. */
  public Object reasonJson() {
    return reasonJson;
  }
}
