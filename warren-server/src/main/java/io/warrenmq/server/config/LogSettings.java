package io.warrenmq.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the broker logs and how, from RabbitMQ's {@code log.*} keys: the console (standard output)
 * and an optional file, each with its level and its format, plaintext or JSON lines; the file
 * rotated by size.
 *
 * @param defaultLevel the level of every logger ({@code log.default.level})
 * @param console whether the console gets log lines ({@code log.console})
 * @param consoleLevel the console's threshold ({@code log.console.level}), "" for every line
 * @param consoleJson JSON lines on the console ({@code log.console.formatter = json})
 * @param file the log file ({@code log.file}, resolved against {@code log.dir}), null for none
 * @param fileLevel the file's threshold ({@code log.file.level}), "" for every line
 * @param fileJson JSON lines in the file ({@code log.file.formatter = json})
 * @param rotationSize the size in bytes at which the file is rotated, 0 for never
 *     ({@code log.file.rotation.size})
 * @param rotationCount how many rotated files are kept ({@code log.file.rotation.count})
 */
public record LogSettings(
    String defaultLevel,
    boolean console,
    String consoleLevel,
    boolean consoleJson,
    @Nullable Path file,
    String fileLevel,
    boolean fileJson,
    long rotationSize,
    int rotationCount) {
  /**
   * RabbitMQ's level names (log.console.level's enum); WarrenMQ logs at four of them, so notice
   * reads as info and critical, alert and emergency as error.
   */
  public static final List<String> LEVELS =
      List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency", "none");

  /** What the broker did before these keys: plaintext lines at info on the console, no file. */
  public static final LogSettings DEFAULT = new LogSettings("info", true, "", false, null, "", false, 0, 5);

  static final List<ConfigLoader.Key> KEYS = List.of(
      ConfigLoader.Key.rabbit("log.default.level", "log-default-level", "info",
          "level of the broker's loggers: debug, info, warning, error or none (RabbitMQ's names)"),
      ConfigLoader.Key.rabbit("log.console", "log-console", "true", "log to standard output (true or false)"),
      ConfigLoader.Key.rabbit("log.console.level", "log-console-level", "",
          "lowest level the console shows (default: log.default.level)"),
      ConfigLoader.Key.rabbit("log.console.formatter", "log-console-formatter", "plaintext",
          "format of console lines: plaintext or json (one JSON object per line)"),
      ConfigLoader.Key.rabbit("log.file", "log-file", "false", "log file (relative to log.dir if set), or false for none"),
      ConfigLoader.Key.rabbit("log.dir", "log-dir", "", "directory of a relative log.file"),
      ConfigLoader.Key.rabbit("log.file.level", "log-file-level", "",
          "lowest level the log file gets (default: log.default.level)"),
      ConfigLoader.Key.rabbit("log.file.formatter", "log-file-formatter", "plaintext",
          "format of log file lines: plaintext or json"),
      ConfigLoader.Key.rabbit("log.file.rotation.size", "log-file-rotation-size", "0",
          "rotate the log file when it reaches this many bytes (0: never)"),
      ConfigLoader.Key.rabbit("log.file.rotation.count", "log-file-rotation-count", "5",
          "rotated log files kept (name.1 ... name.N)"));

  static LogSettings from(Map<String, String> v) {
    String file = v.get("log.file").strip();
    Path path = null;
    if (!file.isEmpty() && !file.equals("false")) {
      path = Path.of(file);
      String dir = v.get("log.dir").strip();
      if (!path.isAbsolute() && !dir.isEmpty()) {
        path = Path.of(dir).resolve(path);
      }
    }
    return new LogSettings(
        level(v, "log.default.level", false),
        ConfigLoader.boolValue(v, "log.console"),
        level(v, "log.console.level", true),
        json(v, "log.console.formatter"),
        path,
        level(v, "log.file.level", true),
        json(v, "log.file.formatter"),
        ConfigLoader.longValue(v, "log.file.rotation.size", 0, Long.MAX_VALUE),
        (int) ConfigLoader.longValue(v, "log.file.rotation.count", 1, 1000));
  }

  private static String level(Map<String, String> v, String key, boolean unsetAllowed) {
    String s = v.get(key).strip().toLowerCase(Locale.ROOT);
    if ((s.isEmpty() && unsetAllowed) || LEVELS.contains(s)) {
      return s;
    }
    throw new ConfigLoader.ConfigException("configuration key '" + key + "' must be one of "
        + String.join(", ", LEVELS) + ", got '" + v.get(key) + "'");
  }

  private static boolean json(Map<String, String> v, String key) {
    return switch (v.get(key).strip()) {
      case "plaintext" -> false;
      case "json" -> true;
      default -> throw new ConfigLoader.ConfigException(
          "configuration key '" + key + "' must be plaintext or json, got '" + v.get(key) + "'");
    };
  }
}
