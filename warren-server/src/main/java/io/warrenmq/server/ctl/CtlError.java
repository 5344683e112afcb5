package io.warrenmq.server.ctl;

/**
 * A command that failed with rabbitmqctl's output and exit code: {@code Error:} and the reason on
 * the next line for an error the node returned (exit code 69, as rabbitmqctl maps
 * {@code {:error, ...}}), or a text of its own (65, "Virtual host 'x' does not exist").
 */
final class CtlError extends RuntimeException {
  private final int exitCode;

  private CtlError(int exitCode, String text) {
    super(text, null, false, false);
    this.exitCode = exitCode;
  }

  /** rabbitmqctl's answer to {@code {:error, Reason}}: "Error:\nReason", exit code 69. */
  static CtlError error(String reason) {
    return new CtlError(69, "Error:\n" + reason + (reason.endsWith("\n") ? "" : "\n"));
  }

  /** A data error (exit code 65) with the text as it is. */
  static CtlError dataError(String text) {
    return new CtlError(65, text.endsWith("\n") ? text : text + "\n");
  }

  int exitCode() {
    return exitCode;
  }
}
