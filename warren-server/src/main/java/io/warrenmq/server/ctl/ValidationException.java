package io.warrenmq.server.ctl;

/**
 * An argument rabbitmqctl's validation refuses, with its text: "Error (argument validation):
 * Bad argument: ...", then "Arguments given:" and the command line (rabbitmqctl.ex,
 * argument_validation_error_output). A wrong number of arguments is a usage error (exit code 2),
 * a bad value an error (exit code 1), as rabbitmqctl's exit_usage and exit_dataerr.
 */
final class ValidationException extends UsageException {
  private final boolean usage;

  private ValidationException(String message, boolean usage) {
    super(message);
    this.usage = usage;
  }

  /** rabbitmqctl's {@code {:bad_argument, detail}}, or {@code :bad_argument} for a null detail. */
  static ValidationException badArgument(CtlArgs a, String usage, String detail) {
    return new ValidationException(text(a, detail == null ? "Bad argument." : "Bad argument: " + detail, usage), false);
  }

  static ValidationException notEnoughArgs(CtlArgs a, String usage) {
    return new ValidationException(text(a, "not enough arguments.", usage), true);
  }

  static ValidationException tooManyArgs(CtlArgs a, String usage) {
    return new ValidationException(text(a, "too many arguments.", usage), true);
  }

  private static String text(CtlArgs a, String error, String usage) {
    return "(argument validation): " + error + "\nArguments given:\n\t" + String.join(" ", a.argv)
        + "\n\nUsage:\n\nwarrenctl " + usage;
  }

  /** The exit code: 2 for a wrong number of arguments, 1 for a bad value. */
  int exitCode() {
    return usage ? 2 : 1;
  }
}
