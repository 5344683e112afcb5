package io.warrenmq.broker.auth;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's permissions in one vhost: three regular expressions over resource names, as in
 * RabbitMQ's access control (configure, write, read). Like RabbitMQ ({@code re:run}) a pattern
 * matches when it is found anywhere in the name, so {@code ^cfg-} anchors explicitly and
 * {@code .*} matches everything; an empty pattern matches nothing.
 */
public final class Permission {
  public static final Permission ALL = new Permission(".*", ".*", ".*");

  private final String configure;
  private final String write;
  private final String read;
  private final Pattern configurePattern;
  private final Pattern writePattern;
  private final Pattern readPattern;

  /** Throws IllegalArgumentException naming a pattern that does not compile. */
  public Permission(String configure, String write, String read) {
    this.configure = configure;
    this.write = write;
    this.read = read;
    this.configurePattern = compile(configure);
    this.writePattern = compile(write);
    this.readPattern = compile(read);
  }

  public String configure() {
    return configure;
  }

  public String write() {
    return write;
  }

  public String read() {
    return read;
  }

  public boolean permits(Access access, String resource) {
    Pattern p =
        switch (access) {
          case CONFIGURE -> configurePattern;
          case WRITE -> writePattern;
          case READ -> readPattern;
        };
    String source = p.pattern();
    return !source.isEmpty() && p.matcher(resource).find();
  }

  private static Pattern compile(String pattern) {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw io.warrenmq.broker.term.ValidationError.invalidRegexp(pattern, false, e.getDescription(), e.getIndex(),
          "invalid permission regex '" + pattern + "': " + e.getDescription());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Permission p
        && p.configure.equals(configure)
        && p.write.equals(write)
        && p.read.equals(read);
  }

  @Override
  public int hashCode() {
    return (configure.hashCode() * 31 + write.hashCode()) * 31 + read.hashCode();
  }

  @Override
  public String toString() {
    return "Permission[configure=" + configure + ", write=" + write + ", read=" + read + "]";
  }

  /** The three kinds of access RabbitMQ distinguishes. */
  public enum Access {
    CONFIGURE,
    WRITE,
    READ;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
