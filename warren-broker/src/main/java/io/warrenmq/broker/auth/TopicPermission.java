package io.warrenmq.broker.auth;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One user's topic permission on one topic exchange of one vhost: a write and a read regular
 * expression over routing keys (RabbitMQ's topic authorisation). As in RabbitMQ
 * (rabbit_auth_backend_internal, check_topic_access): an empty pattern means {@code ^$}; the
 * variables {@code {username}} and {@code {vhost}} are replaced by the user's name and the vhost
 * as they are, not regex-escaped (3.13 does a plain binary:replace); a pattern matches when it is
 * found anywhere in the key (re:run).
 *
 * <p>Immutable; the expanded patterns are compiled once, here.
 */
public final class TopicPermission {
  private static final Pattern QUANTIFIER = Pattern.compile("\\{\\d+(,\\d*)?}");

  private final String exchange;
  private final String write;
  private final String read;
  private final @Nullable Pattern writePattern;
  private final @Nullable Pattern readPattern;

  /**
   * Throws IllegalArgumentException naming a pattern that does not compile (RabbitMQ compiles the
   * patterns as given, before any expansion).
   */
  public TopicPermission(String user, String vhost, String exchange, String write, String read) {
    this.exchange = exchange;
    this.write = write;
    this.read = read;
    validate(write);
    validate(read);
    this.writePattern = expanded(write, user, vhost);
    this.readPattern = expanded(read, user, vhost);
  }

  private static void validate(String pattern) {
    try {
      Pattern.compile(pcreBraces(pattern));
    } catch (PatternSyntaxException e) {
      throw io.warrenmq.broker.term.ValidationError.invalidRegexp(pattern, true, e.getDescription(), e.getIndex(),
          "invalid topic permission regex '" + pattern + "': " + e.getDescription());
    }
  }

  /** The pattern as it is matched; null if the expansion does not compile (then nothing matches). */
  private static @Nullable Pattern expanded(String pattern, String user, String vhost) {
    String p = pattern.isEmpty() ? "^$" : pattern;
    p = p.replace("{username}", user).replace("{vhost}", vhost);
    try {
      return Pattern.compile(pcreBraces(p));
    } catch (PatternSyntaxException e) {
      return null;
    }
  }

  /**
   * PCRE (Erlang's re) takes a '{' that does not open a quantifier ({n}, {n,}, {n,m}) as a
   * literal, so "^{username}\\." compiles there; Java's Pattern refuses it. Such braces are
   * escaped here; everything else is left as it is.
   */
  static String pcreBraces(String pattern) {
    StringBuilder b = new StringBuilder(pattern.length() + 8);
    boolean inClass = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        b.append(c).append(pattern.charAt(++i));
        continue;
      }
      if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
          b.append(c).append(pattern.charAt(++i)); // "[]...]": the first ']' is a member
          continue;
        }
      } else if (c == '{' && !QUANTIFIER.matcher(pattern).region(i, pattern.length()).lookingAt()) {
        b.append("\\{");
        continue;
      }
      b.append(c);
    }
    return b.toString();
  }

  public String exchange() {
    return exchange;
  }

  public String write() {
    return write;
  }

  public String read() {
    return read;
  }

  /** Whether {@code routingKey} may be published ({@code WRITE}) or bound ({@code READ}). */
  public boolean permits(Permission.Access access, String routingKey) {
    Pattern p = switch (access) {
      case WRITE -> writePattern;
      case READ -> readPattern;
      case CONFIGURE -> throw new IllegalArgumentException("topic permissions have no configure pattern");
    };
    return p != null && p.matcher(routingKey).find();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicPermission t && t.exchange.equals(exchange) && t.write.equals(write)
        && t.read.equals(read);
  }

  @Override
  public int hashCode() {
    return (exchange.hashCode() * 31 + write.hashCode()) * 31 + read.hashCode();
  }

  @Override
  public String toString() {
    return "TopicPermission[exchange=" + exchange + ", write=" + write + ", read=" + read + "]";
  }
}
