package io.warrenmq.server.ctl;

/** A command line that does not fit the command: exit code 2. */
class UsageException extends IllegalArgumentException {
  UsageException(String message) {
    super(message);
  }
}
