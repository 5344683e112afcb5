package io.warrenmq.broker.vhost;

import io.netty.buffer.ByteBuf;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.content.BasicPropertiesCodec;
import io.warrenmq.amqp.content.PropertiesSummary;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.broker.auth.User;
import org.jspecify.annotations.Nullable;

/**
 * RabbitMQ's checks on the properties of a published message, shared by every front door that
 * publishes (the AMQP channel, the management API's publish, the aliveness test), in
 * rabbit_channel's order: user-id must be the user's (check_user_id_header), expiration a
 * non-negative integer (check_expiration_header), and a CC or BCC header an array (mc_amqpl:message,
 * rabbit_basic header_routes). Refusals are channel errors 406.
 */
public final class PublishRules {
  /** Bit of the user-id property in the first property-flags word (AMQP 0-9-1 4.2.6.1). */
  private static final int USER_ID_FLAG = 1 << 4;
  /** rabbit_misc check_expiry: ten years in milliseconds. */
  private static final long MAX_EXPIRATION_MS = 315_360_000_000L;

  private PublishRules() {}

  /**
   * Checks the raw properties (BORROWED) of a message {@code user} publishes; returns their
   * summary. Only the property flags and the summary are read unless user-id is present.
   */
  public static PropertiesSummary validate(ByteBuf props, User user) {
    PropertiesSummary summary = BasicPropertiesCodec.summarize(props);
    if (props.readableBytes() >= 2 && (props.getUnsignedShort(props.readerIndex()) & USER_ID_FLAG) != 0) {
      checkUserId(BasicPropertiesCodec.decode(props).userId(), user);
    }
    String expiration = summary.expiration();
    String invalid = expiration == null ? null : expirationError(expiration);
    if (invalid != null) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED, "invalid expiration '%s': %s", expiration, invalid);
    }
    checkRoutingHeader("CC", summary.ccType());
    checkRoutingHeader("BCC", summary.bccType());
    return summary;
  }

  /**
   * RabbitMQ rabbit_channel, check_user_id_header: the user's own name, or any name for a user
   * tagged {@code impersonator}. The tags are those the user had when it logged in, as RabbitMQ's
   * channel keeps the #user{} of the login.
   */
  private static void checkUserId(@Nullable String userId, User user) {
    if (userId != null && !userId.equals(user.name()) && !user.isImpersonator()) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          "user_id property set to '%s' but authenticated user was '%s'",
          userId,
          user.name());
    }
  }

  /**
   * RabbitMQ rabbit_basic header_routes: a CC or BCC header must be an array, else the message is
   * invalid (mc_amqpl:message's error, printed by rabbit_channel with ~tp).
   */
  private static void checkRoutingHeader(String name, int type) {
    if (type != 0 && type != PropertiesSummary.ARRAY) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          "invalid message: {unacceptable_type_in_header,\"%s\",%s}",
          name,
          FieldCodec.rabbitTypeName(type));
    }
  }

  /**
   * RabbitMQ's error term for an expiration that is not a millisecond count (rabbit_basic
   * parse_expiration: string:to_integer, then rabbit_misc check_expiry, at most ten years), or
   * null when it is one.
   */
  public static @Nullable String expirationError(String s) {
    int digits = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
    int end = digits;
    while (end < s.length() && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
      end++;
    }
    if (end == digits) {
      return "no_integer";
    }
    if (end < s.length()) {
      return "{leftover_string,\"" + s.substring(end) + "\"}";
    }
    java.math.BigInteger n = new java.math.BigInteger(s.substring(0, end));
    if (n.signum() < 0) {
      return "{value_negative," + n + "}";
    }
    return n.compareTo(java.math.BigInteger.valueOf(MAX_EXPIRATION_MS)) > 0 ? "{value_too_large," + n + "}" : null;
  }
}
