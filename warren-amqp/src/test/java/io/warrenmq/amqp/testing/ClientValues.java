package io.warrenmq.amqp.testing;

import com.rabbitmq.client.impl.LongStringHelper;
import io.warrenmq.amqp.types.ByteArray;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import io.warrenmq.amqp.types.Timestamp;
import io.warrenmq.amqp.types.UnsignedByte;
import io.warrenmq.amqp.types.UnsignedInt;
import io.warrenmq.amqp.types.UnsignedShort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Translates our field values into the Java types the official client uses, and compares client
 * values deeply (the client keeps 'x' as byte[], which has no value equality).
 */
public final class ClientValues {
  private ClientValues() {}

  /** The client's representation of one of our field values. */
  public static Object toClient(Object ours) {
    return switch (ours) {
      case null -> null;
      case LongString s -> LongStringHelper.asLongString(s.bytes());
      case FieldTable t -> toClient(t);
      case List<?> l -> {
        List<Object> out = new ArrayList<>();
        for (Object o : l) {
          out.add(toClient(o));
        }
        yield out;
      }
      case Timestamp t -> new Date(t.epochSeconds() * 1000);
      case ByteArray x -> x.bytes();
      case UnsignedByte b -> b.value();
      case UnsignedShort s -> s.value();
      case UnsignedInt i -> i.value();
      default -> ours;
    };
  }

  /** An insertion-ordered map, so the client writes entries in our order. */
  public static Map<String, Object> toClient(FieldTable table) {
    Map<String, Object> out = new LinkedHashMap<>();
    table.asMap().forEach((k, v) -> out.put(k, toClient(v)));
    return out;
  }

  /** Deep equality that compares byte arrays by content and maps regardless of order. */
  public static boolean deepEquals(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!deepEquals(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }
}
