package io.warrenmq.management.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a {@code multipart/form-data} body (RFC 7578) by field name, as the management UI
 * uploads a definitions file (field {@code file}, with an optional {@code redirect}).
 */
final class Multipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"?)([^\";]+)\\1");
  private static final Pattern NAME = Pattern.compile("(?i)content-disposition:[^\\r\\n]*?\\bname=\"([^\"]*)\"");

  private Multipart() {}

  /** The parts, or null if the content type names no boundary. */
  static @Nullable Map<String, byte[]> parts(String contentType, byte[] body) {
    Matcher b = BOUNDARY.matcher(contentType);
    if (!b.find()) {
      return null;
    }
    byte[] delimiter = ("--" + b.group(2)).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, byte[]> parts = new LinkedHashMap<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        break;
      }
      byte[] part = Arrays.copyOfRange(body, start, next);
      int headersEnd = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
      if (headersEnd >= 0) {
        String headers = new String(part, 0, headersEnd, StandardCharsets.ISO_8859_1);
        Matcher n = NAME.matcher(headers);
        if (n.find()) {
          int end = part.length;
          if (end >= 2 && part[end - 2] == '\r' && part[end - 1] == '\n') {
            end -= 2; // the line break before the next delimiter belongs to it
          }
          parts.put(n.group(1), Arrays.copyOfRange(part, headersEnd + 4, Math.max(end, headersEnd + 4)));
        }
      }
      at = next;
    }
    return parts;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(from, 0); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
