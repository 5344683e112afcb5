package io.warrenmq.amqp.frame;

import io.netty.buffer.ByteBuf;

/**
 * RabbitMQ's description of a bad frame in a FRAME_ERROR or UNEXPECTED_FRAME reply text
 * (rabbit_reader, frame_error and payload_snippet): {@code "type 1, all octets = <<1,2>>"}, or
 * {@code "first 16 octets"} of a longer payload, with the payload printed as Erlang prints a
 * binary: {@code <<"text">>} when every byte is printable ASCII, else the decimal bytes. (Erlang
 * also prints printable Latin-1 as text and wraps terms longer than a line; texts for such payloads
 * may differ from RabbitMQ's.)
 *
 * <p>Stateless; borrows the buffers it is given.
 */
final class PayloadSnippet {
  private static final int SNIPPET = 16;

  private PayloadSnippet() {}

  /** {@code "type T, all octets = <<...>>"} or {@code "type T, first 16 octets = <<...>>"}. */
  static String describe(int type, ByteBuf payload) {
    int n = payload.readableBytes();
    String which = n <= SNIPPET ? "all" : "first 16";
    return "type " + type + ", " + which + " octets = " + binary(payload, Math.min(n, SNIPPET));
  }

  private static String binary(ByteBuf b, int n) {
    int from = b.readerIndex();
    boolean text = n > 0;
    for (int i = 0; i < n && text; i++) {
      int c = b.getUnsignedByte(from + i);
      text = (c >= 32 && c < 127) || escape(c) != null;
    }
    StringBuilder sb = new StringBuilder("<<");
    if (text) {
      sb.append('"');
      for (int i = 0; i < n; i++) {
        int c = b.getUnsignedByte(from + i);
        String e = escape(c);
        sb.append(e != null ? e : c == '"' || c == '\\' ? "\\" + (char) c : String.valueOf((char) c));
      }
      sb.append('"');
    } else {
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ",").append(b.getUnsignedByte(from + i));
      }
    }
    return sb.append(">>").toString();
  }

  /** Erlang's escapes for the control characters it still counts as printable. */
  private static String escape(int c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case 0x0B -> "\\v";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case 0x1B -> "\\e";
      default -> null;
    };
  }
}
