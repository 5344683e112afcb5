package io.warrenmq.amqp;

import java.util.Locale;

/**
 * An AMQP protocol error: either a channel error (the spec's soft errors, answered with {@code
 * channel.close}) or a connection error (hard errors, answered with {@code connection.close}).
 *
 * <p>The reply text follows RabbitMQ's format {@code "<CODE_NAME> - <detail>"}, for example {@code
 * "PRECONDITION_FAILED - unknown delivery tag 1"}, because clients and tests match on it. The class
 * and method ids of the offending method are 0 until {@link #withMethod(int, int)} fills them in;
 * the dispatcher that knows the method does that. When the text is written into a close method it
 * is cut to 255 bytes of UTF-8 (a shortstr).
 *
 * <p>The exception carries no stack trace: it is protocol control flow, thrown on the hot path by
 * decoders and the broker core, and only {@code warren-server} turns it into frames. Instances are
 * immutable and thread-safe.
 */
public final class AmqpException extends RuntimeException {
  private final ReplyCode replyCode;
  private final boolean connectionLevel;
  private final String detail;
  private final int classId;
  private final int methodId;

  private AmqpException(
      ReplyCode replyCode, boolean connectionLevel, String detail, int classId, int methodId) {
    super(replyCode.name() + " - " + detail, null, false, false);
    this.replyCode = replyCode;
    this.connectionLevel = connectionLevel;
    this.detail = detail;
    this.classId = classId;
    this.methodId = methodId;
  }

  /**
   * A channel-level error: the server closes the channel with {@code channel.close}. Meant for the
   * spec's soft errors (311-313, 403-406); a channel error on channel 0 is escalated to a
   * connection error by the server.
   *
   * @param fmt a {@link String#format} pattern; used verbatim when there are no args
   */
  public static AmqpException channelError(ReplyCode code, String fmt, Object... args) {
    return new AmqpException(code, false, format(fmt, args), 0, 0);
  }

  /**
   * A connection-level error: the server closes the connection with {@code connection.close}. Meant
   * for the spec's hard errors (320, 402, 501-541).
   *
   * @param fmt a {@link String#format} pattern; used verbatim when there are no args
   */
  public static AmqpException connectionError(ReplyCode code, String fmt, Object... args) {
    return new AmqpException(code, true, format(fmt, args), 0, 0);
  }

  /** A copy of this error that names the offending method (spec: close's class-id, method-id). */
  public AmqpException withMethod(int classId, int methodId) {
    return new AmqpException(replyCode, connectionLevel, detail, classId, methodId);
  }

  private static String format(String fmt, Object... args) {
    return args.length == 0 ? fmt : String.format(Locale.ROOT, fmt, args);
  }

  public ReplyCode replyCode() {
    return replyCode;
  }

  /** True for a connection error, false for a channel error. */
  public boolean connectionLevel() {
    return connectionLevel;
  }

  /** The text for the close method: {@code "<CODE_NAME> - <detail>"}. */
  public String replyText() {
    return replyCode.name() + " - " + detail;
  }

  /** The detail part of the reply text, without the code name. */
  public String detail() {
    return detail;
  }

  /** The class id of the offending method, 0 when unknown. */
  public int classId() {
    return classId;
  }

  /** The method id of the offending method, 0 when unknown. */
  public int methodId() {
    return methodId;
  }
}
