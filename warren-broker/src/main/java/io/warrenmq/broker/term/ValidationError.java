package io.warrenmq.broker.term;

/**
 * A change the broker refuses, with RabbitMQ's reason as the term RabbitMQ throws or returns
 * ({@code tags_not_present}, {@code {not_base64,<<"x">>}}, "Validation failed\n\n..."). Front doors
 * render it their way: the management API as a 400 with {@link ErlangTerm#json()}, definitions
 * import with {@link ErlangTerm#print()}, warrenctl as text ({@link #getMessage()}).
 */
public final class ValidationError extends IllegalArgumentException {
  private final ErlangTerm reason;

  public ValidationError(ErlangTerm reason) {
    super(text(reason), null);
    this.reason = reason;
  }

  /** A reason with a text of WarrenMQ's own for warrenctl and logs. */
  public ValidationError(ErlangTerm reason, String message) {
    super(message, null);
    this.reason = reason;
  }

  /**
   * RabbitMQ's {@code {invalid_regexp, Pattern, {Error, Offset}}} (rabbit_auth_backend_internal);
   * the pattern is a charlist for permissions and a binary for topic permissions, as there.
   */
  public static ValidationError invalidRegexp(String pattern, boolean binary, String description, int offset,
      String message) {
    ErlangTerm p = binary ? ErlangTerm.bin(pattern) : new ErlangTerm.Chars(pattern);
    return new ValidationError(ErlangTerm.tuple(ErlangTerm.atom("invalid_regexp"), p,
        ErlangTerm.tuple(new ErlangTerm.Chars(description), new ErlangTerm.Int(Math.max(offset, 0)))), message);
  }

  /** A reason that is plain text (RabbitMQ's {@code {error_string, Text}}). */
  public static ValidationError text(String text) {
    return new ValidationError(new ErlangTerm.Chars(text));
  }

  /** A reason that is an atom ({@code tags_not_present}). */
  public static ValidationError atom(String name) {
    return new ValidationError(ErlangTerm.atom(name));
  }

  public ErlangTerm reason() {
    return reason;
  }

  private static String text(ErlangTerm reason) {
    return switch (reason) {
      case ErlangTerm.Chars c -> c.text();
      case ErlangTerm.Bin b -> b.text();
      default -> reason.print();
    };
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // control flow, answered to the caller
  }
}
