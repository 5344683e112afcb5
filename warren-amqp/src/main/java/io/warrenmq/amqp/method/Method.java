package io.warrenmq.amqp.method;

import io.netty.buffer.ByteBuf;

/**
 * An AMQP 0-9-1 method: the payload of a method frame (spec 4.2.4). Implementations are immutable
 * records, one per method, grouped by class in sealed sub-interfaces; a {@code switch} over them is
 * exhaustive.
 */
public sealed interface Method
    permits ConnectionMethod,
        ChannelMethod,
        AccessMethod,
        ExchangeMethod,
        QueueMethod,
        BasicMethod,
        ConfirmMethod,
        TxMethod {

  /** The class id (for example 60 for {@code basic}). */
  int classId();

  /** The method id within the class (for example 40 for {@code basic.publish}). */
  int methodId();

  /**
   * Whether content (a header frame and body frames) follows this method: true for {@code
   * basic.publish}, {@code basic.return}, {@code basic.deliver} and {@code basic.get-ok}.
   */
  default boolean hasContent() {
    return false;
  }

  /** The spec's name, for example {@code "basic.publish"}. */
  String name();

  /**
   * Appends the method's arguments (not the class and method ids) in wire format, packing
   * consecutive bits into octets (spec 4.2.5.2). Borrows {@code out}.
   *
   * @throws IllegalArgumentException when a shortstr is longer than 255 bytes or a table value
   *     cannot be encoded
   */
  void encodeArguments(ByteBuf out);
}
