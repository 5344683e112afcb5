package io.warrenmq.broker.queue;

import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import io.warrenmq.amqp.types.UnsignedByte;
import io.warrenmq.amqp.types.UnsignedInt;
import io.warrenmq.amqp.types.UnsignedShort;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * RabbitMQ's names for field value types and their classes, used in argument validation and
 * equivalence reply texts ("received the value '2000' of type 'signedint'").
 */
public final class ArgumentTypes {
  private ArgumentTypes() {}

  /** RabbitMQ's type name of a decoded field value. */
  public static String typeName(@Nullable Object v) {
    return switch (v) {
      case null -> "void";
      case Boolean b -> "bool";
      case Byte b -> "byte";
      case UnsignedByte b -> "unsignedbyte";
      case Short s -> "short";
      case UnsignedShort s -> "unsignedshort";
      case Integer i -> "signedint";
      case UnsignedInt i -> "unsignedint";
      case Long l -> "long";
      case Float f -> "float";
      case Double d -> "double";
      case BigDecimal d -> "decimal";
      case LongString s -> "longstr";
      case String s -> "longstr";
      case Timestamp t -> "timestamp";
      case FieldTable t -> "table";
      case List<?> l -> "array";
      case ByteArray b -> "binary";
      default -> v.getClass().getSimpleName();
    };
  }

  /** Whether the value is of one of the integer types. */
  public static boolean isInteger(@Nullable Object v) {
    return v instanceof Byte
        || v instanceof UnsignedByte
        || v instanceof Short
        || v instanceof UnsignedShort
        || v instanceof Integer
        || v instanceof UnsignedInt
        || v instanceof Long;
  }

  /** The value of an integer-typed field; call only when {@link #isInteger} holds. */
  public static long longValue(Object v) {
    return switch (v) {
      case Byte b -> b;
      case UnsignedByte b -> b.value();
      case Short s -> s;
      case UnsignedShort s -> s.value();
      case Integer i -> i;
      case UnsignedInt i -> i.value();
      case Long l -> l;
      default -> throw new IllegalArgumentException("not an integer: " + v);
    };
  }

  /** The value as a string for reply texts. */
  public static String show(@Nullable Object v) {
    if (v == null) {
      return "undefined";
    }
    if (isInteger(v)) {
      return Long.toString(longValue(v));
    }
    return v.toString();
  }

  /** RabbitMQ's type_class: integers compare as one class, strings as another. */
  static String typeClass(@Nullable Object v) {
    if (isInteger(v)) {
      return "int";
    }
    if (v instanceof Float || v instanceof Double) {
      return "float";
    }
    return typeName(v);
  }

  /**
   * RabbitMQ's 406 "inequivalent arg" for {@code key} of {@code resource} (rabbit_misc
   * assert_args_equivalence and val/1): values of one type class show bare ("received '20' but
   * current is '10'"), otherwise with their types ("the value '20' of type 'signedint'"), a
   * missing one as "none".
   */
  public static AmqpException inequivalent(
      String key, String resource, @Nullable Object current, @Nullable Object received) {
    boolean bare = current != null && received != null && typeClass(current).equals(typeClass(received));
    return AmqpException.channelError(
        ReplyCode.PRECONDITION_FAILED,
        "inequivalent arg '%s' for %s: received %s but current is %s",
        key,
        resource,
        describe(received, bare),
        describe(current, bare));
  }

  private static String describe(@Nullable Object v, boolean bare) {
    if (v == null) {
      return "none";
    }
    return bare ? "'" + show(v) + "'" : "the value '" + show(v) + "' of type '" + typeName(v) + "'";
  }

  /** Equivalent as RabbitMQ's assert_args_equivalence judges: same type class, same value. */
  public static boolean equivalent(@Nullable Object a, @Nullable Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (!typeClass(a).equals(typeClass(b))) {
      return false;
    }
    if (isInteger(a)) {
      return longValue(a) == longValue(b);
    }
    if (a instanceof String || a instanceof LongString) {
      return a.toString().equals(b.toString());
    }
    return a.equals(b);
  }
}
