package io.warrenmq.management.format;

import io.warrenmq.amqp.types.FieldTable;
import io.warrenmq.broker.vhost.NameOrder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A binding's {@code properties_key}, the last segment of {@code /api/bindings/.../{props}}: the
 * routing key and a hash of the arguments, as rabbit_mgmt_format:pack_binding_props writes it
 * ({@code ~} alone for an empty key without arguments; the key quoted by rabbit_http_util
 * quote_plus with {@code ~} as {@code %7E}; {@code ~} and args_hash when there are arguments: the
 * base64url of erlang:phash2 of the arguments sorted by name, rabbit_binding sort_args).
 *
 * <p>RabbitMQ 3.10 crashes packing a key that contains {@code ~} when the binding has arguments
 * (re:replace answers iodata); this writes the key RabbitMQ means.
 */
public final class BindingKeys {
  private BindingKeys() {}

  /** A properties key taken apart: the routing key and, if arguments were hashed, their hash. */
  public record Unpacked(String routingKey, @Nullable String argsHash) {}

  public static String pack(String routingKey, FieldTable arguments) {
    if (arguments.isEmpty()) {
      return routingKey.isEmpty() ? "~" : quote(routingKey);
    }
    return quote(routingKey) + "~" + quote(argsHash(arguments));
  }

  /** rabbit_mgmt_format:args_hash: base64url (unpadded) of the 32-bit phash2 of the sorted arguments. */
  public static String argsHash(FieldTable arguments) {
    List<Map.Entry<String, @Nullable Object>> sorted = new ArrayList<>(arguments.asMap().entrySet());
    sorted.sort(Map.Entry.comparingByKey(NameOrder.INSTANCE)); // rabbit_misc:sort_field_table
    int h = ErlangHash.phash2(sorted);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(4).putInt(h).array());
  }

  /**
   * rabbit_mgmt_wm_binding unpack: the key before the first {@code ~} and the hash after it, each
   * unquoted; null for more than two parts (RabbitMQ: too_many_tokens).
   */
  public static @Nullable Unpacked unpack(String props) {
    List<String> tokens = tokenise(props);
    return switch (tokens.size()) {
      case 0 -> new Unpacked("", null);
      case 1 -> new Unpacked(unquote(tokens.get(0)), null);
      case 2 -> new Unpacked(unquote(tokens.get(0)), unquote(tokens.get(1)));
      default -> null;
    };
  }

  /** rabbit_mgmt_format:tokenise: split at each {@code ~}; "" has no token, "~" one empty one. */
  static List<String> tokenise(String s) {
    List<String> out = new ArrayList<>();
    String rest = s;
    while (!rest.isEmpty()) {
      int i = rest.indexOf('~');
      if (i < 0) {
        out.add(rest);
        break;
      }
      out.add(rest.substring(0, i));
      rest = rest.substring(i + 1);
    }
    return out;
  }

  /** rabbit_mgmt_format quote_binding: {@link #quotePlus}, then {@code ~} as {@code %7E}. */
  public static String quote(String s) {
    return quotePlus(s).replace("~", "%7E");
  }

  /** rabbit_http_util:quote_plus over the UTF-8 bytes: unreserved characters kept, a space as +. */
  public static String quotePlus(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
          || c == '_' || c == '~') {
        b.append((char) c);
      } else if (c == ' ') {
        b.append('+');
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return b.toString();
  }

  /** rabbit_http_util:unquote: {@code %XX} decoded, {@code +} a space; a malformed escape stays as it is. */
  public static String unquote(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      int c = in[i];
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
        out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }
}
