package io.warrenmq.amqp;

import org.jspecify.annotations.Nullable;

/**
 * The reply codes of AMQP 0-9-1 (spec section 1.9, "constants"), as used in {@code
 * connection.close}, {@code channel.close} and {@code basic.return}.
 *
 * <p>The spec puts each error code in one of two classes: a <em>soft error</em> (311-313, 403-406)
 * closes the channel, a <em>hard error</em> (320, 402, 501-506, 530, 540, 541) closes the
 * connection. {@link #isHardError()} tells them apart. Immutable and thread-safe.
 */
public enum ReplyCode {
  REPLY_SUCCESS(200),
  CONTENT_TOO_LARGE(311),
  NO_ROUTE(312),
  NO_CONSUMERS(313),
  CONNECTION_FORCED(320),
  INVALID_PATH(402),
  ACCESS_REFUSED(403),
  NOT_FOUND(404),
  RESOURCE_LOCKED(405),
  PRECONDITION_FAILED(406),
  FRAME_ERROR(501),
  SYNTAX_ERROR(502),
  COMMAND_INVALID(503),
  CHANNEL_ERROR(504),
  UNEXPECTED_FRAME(505),
  RESOURCE_ERROR(506),
  NOT_ALLOWED(530),
  NOT_IMPLEMENTED(540),
  INTERNAL_ERROR(541);

  private final int code;

  ReplyCode(int code) {
    this.code = code;
  }

  /** The numeric code sent on the wire. */
  public int code() {
    return code;
  }

  /** Whether the spec classes this code as a hard error, one that closes the connection. */
  public boolean isHardError() {
    return switch (this) {
      case CONNECTION_FORCED,
          INVALID_PATH,
          FRAME_ERROR,
          SYNTAX_ERROR,
          COMMAND_INVALID,
          CHANNEL_ERROR,
          UNEXPECTED_FRAME,
          RESOURCE_ERROR,
          NOT_ALLOWED,
          NOT_IMPLEMENTED,
          INTERNAL_ERROR ->
          true;
      default -> false;
    };
  }

  /** The reply code with the given numeric value, or {@code null} when the spec defines none. */
  public static @Nullable ReplyCode of(int code) {
    for (ReplyCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }
}
