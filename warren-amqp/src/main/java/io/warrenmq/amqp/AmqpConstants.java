package io.warrenmq.amqp;

/**
 * Numeric constants of AMQP 0-9-1: frame types, frame layout, the protocol header (spec 4.2.2) and
 * the class ids (including RabbitMQ's {@code confirm} extension).
 */
public final class AmqpConstants {
  public static final int FRAME_METHOD = 1;
  public static final int FRAME_HEADER = 2;
  public static final int FRAME_BODY = 3;
  public static final int FRAME_HEARTBEAT = 8;
  public static final int FRAME_END = 0xCE;

  /** The smallest frame-max a peer may negotiate, and the limit before {@code tune-ok}. */
  public static final int FRAME_MIN_SIZE = 4096;

  /** Bytes before the payload: type (1), channel (2), payload size (4). */
  public static final int FRAME_HEADER_SIZE = 7;

  /** Bytes of a frame that are not payload: the header plus the frame-end octet. */
  public static final int FRAME_OVERHEAD = 8;

  /**
   * RabbitMQ's hard limit on a message body, 512 MiB (?MAX_MSG_SIZE in rabbit.hrl): a content
   * header announcing more is a FRAME_ERROR, whatever max_message_size is configured.
   */
  public static final long MAX_MESSAGE_SIZE = 536_870_912L;

  /** Length of the protocol header {@code "AMQP" 0 0 9 1}. */
  public static final int PROTOCOL_HEADER_LENGTH = 8;

  public static final int CLASS_CONNECTION = 10;
  public static final int CLASS_CHANNEL = 20;
  public static final int CLASS_ACCESS = 30;
  public static final int CLASS_EXCHANGE = 40;
  public static final int CLASS_QUEUE = 50;
  public static final int CLASS_BASIC = 60;
  public static final int CLASS_CONFIRM = 85;
  public static final int CLASS_TX = 90;

  private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

  private AmqpConstants() {}

  /** A fresh copy of the protocol header {@code 'A','M','Q','P',0,0,9,1} (spec 4.2.2). */
  public static byte[] protocolHeader() {
    return PROTOCOL_HEADER.clone();
  }
}
