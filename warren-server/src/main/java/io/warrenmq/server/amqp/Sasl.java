package io.warrenmq.server.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.amqp.types.FieldCodec;
import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.amqp.types.LongString;
import java.nio.charset.StandardCharsets;

/**
 * The SASL mechanisms offered in connection.start: PLAIN (RFC 4616: authzid NUL authcid NUL
 * password) and RabbitMQ's AMQPLAIN (a field table with LOGIN and PASSWORD, sent without its length
 * prefix by most clients; both forms are accepted).
 */
final class Sasl {
  /** The mechanisms as announced in connection.start, space-separated. */
  static final String MECHANISMS = "PLAIN AMQPLAIN";

  /** A user name and password taken from a SASL response. */
  record Credentials(String user, String password) {}

  private Sasl() {}

  static Credentials parse(String mechanism, LongString response) {
    return switch (mechanism) {
      case "PLAIN" -> plain(response.bytes());
      case "AMQPLAIN" -> amqplain(response.bytes());
      default ->
          throw AmqpException.connectionError(
              ReplyCode.COMMAND_INVALID, "unknown authentication mechanism '%s'", mechanism);
    };
  }

  private static Credentials plain(byte[] b) {
    int first = indexOf(b, 0);
    int second = first < 0 ? -1 : indexOf(b, first + 1);
    if (first < 0 || second < 0) {
      throw refused("PLAIN");
    }
    String user = new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
    String pass = new String(b, second + 1, b.length - second - 1, StandardCharsets.UTF_8);
    return new Credentials(user, pass);
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static Credentials amqplain(byte[] b) {
    ByteBuf buf;
    boolean prefixed = b.length >= 4
        && ((b[0] & 0xFFL) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF)) == b.length - 4;
    if (prefixed) {
      buf = Unpooled.wrappedBuffer(b);
    } else {
      buf = Unpooled.buffer(b.length + 4);
      buf.writeInt(b.length);
      buf.writeBytes(b);
    }
    FieldTable t;
    try {
      t = FieldCodec.readTable(buf);
    } catch (AmqpException e) {
      throw refused("AMQPLAIN");
    }
    String user = t.getString("LOGIN");
    String pass = t.getString("PASSWORD");
    if (user == null || pass == null) {
      throw refused("AMQPLAIN");
    }
    return new Credentials(user, pass);
  }

  private static AmqpException refused(String mechanism) {
    return AmqpException.connectionError(
        ReplyCode.ACCESS_REFUSED,
        "Login was refused using authentication mechanism %s. For details see the broker logfile.",
        mechanism);
  }
}
