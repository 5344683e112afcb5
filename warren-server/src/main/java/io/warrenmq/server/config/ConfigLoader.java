package io.warrenmq.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a {@link BrokerConfig} from, in increasing precedence: built-in defaults, a config file
 * ({@code --config FILE} or {@code WARREN_CONFIG}; lines of {@code key = value}, {@code #}
 * comments, as rabbitmq.conf), environment variables ({@code WARREN_<KEY>}, e.g.
 * {@code WARREN_DATA_DIR}) and command-line flags ({@code --data-dir DIR} or
 * {@code --data-dir=DIR}). An unknown key or a bad value is an error naming it.
 */
public final class ConfigLoader {
  /**
   * A configuration key: its name in a config file, its default, one line of documentation, its
   * command-line flag and its environment variable. WarrenMQ's own keys derive the flag and the
   * variable from the name ({@code data_dir}: {@code --data-dir}, {@code WARREN_DATA_DIR});
   * RabbitMQ's dotted keys ({@code management.tcp.port}) are given short ones.
   */
  public record Key(String name, String defaultValue, String doc, String flag, String env) {
    public Key(String name, String defaultValue, String doc) {
      this(name, defaultValue, doc, "--" + name.replace('_', '-'), "WARREN_" + name.toUpperCase(Locale.ROOT));
    }

    /** A RabbitMQ key spelled {@code name} in a file, {@code --short} and {@code WARREN_SHORT} elsewhere. */
    static Key rabbit(String name, String shortName, String defaultValue, String doc) {
      return new Key(name, defaultValue, doc, "--" + shortName,
          "WARREN_" + shortName.replace('-', '_').toUpperCase(Locale.ROOT));
    }
  }

  public static final List<Key> KEYS = Stream.concat(
      Stream.of(
          new Key("bind", BrokerConfig.DEFAULT_BIND,
              "comma-separated addresses the AMQP listener binds to, all on the same port (0.0.0.0,:: for every interface)"),
          new Key("port", "5672", "AMQP port; 0 picks a free port"),
          new Key("data_dir", "./data", "directory for definitions, segment files and the control socket"),
          new Key("frame_max", "131072", "largest frame offered in connection.tune, in bytes (at least 4096)"),
          new Key("channel_max", "2047", "highest channel number offered in connection.tune"),
          new Key("heartbeat", "60", "heartbeat interval offered in connection.tune, in seconds (0 disables)"),
          new Key("max_message_size", "134217728", "largest message body accepted, in bytes (RabbitMQ's default, 128 MiB)"),
          new Key("handshake_timeout", "10000", "milliseconds a client gets to finish the AMQP handshake"),
          new Key("segment_size", "8388608", "size of a queue's segment files, in bytes"),
          new Key("default_user", "guest", "user created on first boot, with all permissions on the default vhost"),
          new Key("default_pass", "guest", "password of the default user"),
          new Key("default_vhost", "/", "vhost created on first boot"),
          new Key("loopback_users", "guest", "comma-separated users allowed to connect from loopback addresses only"),
          new Key("consumers_per_channel", "65536", "most consumers a single channel may have"),
          new Key("ctl_socket", "", "path of the warrenctl control socket (default DATA_DIR/warren.sock)"),
          Key.rabbit("management.tcp.port", "management-port", "15672",
              "port of the management HTTP API and web UI (RabbitMQ's key); 0 turns it off"),
          Key.rabbit("management.tcp.ip", "management-ip", "127.0.0.1",
              "address the management listener binds to (0.0.0.0 or :: for every interface)"),
          new Key("load_definitions", "",
              "definitions file (or directory of them) imported at every boot, after recovery (RabbitMQ's key)"),
          Key.rabbit("prometheus.tcp.port", "prometheus-port", "15692",
              "port of the Prometheus metrics endpoint (RabbitMQ's key); 0 turns it off"),
          Key.rabbit("prometheus.tcp.ip", "prometheus-ip", "127.0.0.1",
              "address the Prometheus listener binds to (0.0.0.0 or :: for every interface)"),
          new Key("collect_statistics_interval", "5000",
              "milliseconds between two samples of the management API's message rates (RabbitMQ's key)"),
          Key.rabbit("vm_memory_high_watermark.relative", "vm-memory-high-watermark", "",
              "memory alarm threshold as a fraction of the memory available (RabbitMQ's key; 0.4 when neither is set)"),
          Key.rabbit("vm_memory_high_watermark.absolute", "vm-memory-high-watermark-absolute", "",
              "memory alarm threshold in bytes, units allowed (2GB, 1536MiB); wins over .relative"),
          Key.rabbit("disk_free_limit.absolute", "disk-free-limit", "",
              "disk alarm when the data directory's file system has less free space, bytes or units (50MB when neither is set)"),
          Key.rabbit("disk_free_limit.relative", "disk-free-limit-relative", "",
              "disk alarm limit as a multiple of the memory available (RabbitMQ's key)"),
          Key.rabbit("listeners.tcp", "tcp-listeners", "",
              "none turns the plain AMQP listener off, for a broker reached over AMQPS only (RabbitMQ's key);"
                  + " the plain listener's addresses are bind and port"),
          new Key("connection_max", "infinity",
              "most AMQP connections the node accepts (RabbitMQ's key); beyond it connection.open gets 530"),
          new Key("memory_monitor_interval", "1000",
              "milliseconds between two checks of memory use and free disk space (RabbitMQ's key)")),
      Stream.of(LogSettings.KEYS, TlsKeys.KEYS, ProxyProtocolConfig.KEYS, TcpListenOptions.KEYS, ClusterKeys.KEYS).flatMap(List::stream)).toList();

  private ConfigLoader() {}

  /** Loads with the process environment. */
  public static BrokerConfig load(String[] args) {
    return load(args, System.getenv());
  }

  public static BrokerConfig load(String[] args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    KEYS.forEach(k -> values.put(k.name(), k.defaultValue()));
    Map<String, String> flags = parseFlags(args);
    String configFile = flags.getOrDefault("config", env.get("WARREN_CONFIG"));
    if (configFile != null && !configFile.isEmpty()) {
      values.putAll(readFile(Path.of(configFile), origins));
    }
    for (Key k : KEYS) {
      String v = env.get(k.env());
      if (v != null) {
        values.put(k.name(), v);
      }
    }
    flags.remove("config");
    values.putAll(flags);
    flags.keySet().forEach(k -> origins.put(k, "flag --" + k));
    return build(values, origins);
  }

  private static Map<String, String> parseFlags(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new ConfigException("unexpected argument '" + a + "' (flags look like --port 5672)");
      }
      String name;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        name = a.substring(2);
        if (i + 1 >= args.length) {
          throw new ConfigException("flag " + a + " needs a value");
        }
        value = args[++i];
      }
      out.put(keyOfFlag(name), value);
    }
    return out;
  }

  /** The key a flag sets: {@code --management-port}, or a key's own name with dashes or underscores. */
  private static String keyOfFlag(String flag) {
    for (Key k : KEYS) {
      if (k.flag().equals("--" + flag)) {
        return k.name();
      }
    }
    return checkKey(flag.replace('-', '_'), "flag --" + flag);
  }

  private static String checkKey(String name, String where) {
    if (name.equals("config") || KEYS.stream().anyMatch(k -> k.name().equals(name))
        || AuthConfigParser.accepts(name)) {
      return name;
    }
    throw new ConfigException("unknown configuration key '" + name + "' in " + where + "; known keys: "
        + KEYS.stream().map(Key::name).collect(Collectors.joining(", ")));
  }

  static Map<String, String> readFile(Path file) {
    return readFile(file, new LinkedHashMap<>());
  }

  /** @param origins filled with key -> "file:line" */
  static Map<String, String> readFile(Path file, Map<String, String> origins) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> families = new java.util.HashSet<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(file + ":" + (n + 1) + ": expected 'key = value', got '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      if (key.equals("config")) {
        // there are no includes: silently ignoring it would hide the other file's settings
        throw new ConfigException(file + ":" + (n + 1) + ": 'config' names the config file; it cannot be set in one");
      }
      String value = line.substring(eq + 1).strip();
      origins.put(key, file + ":" + (n + 1));
      String family = TlsKeys.familyOf(key);
      if (family == null) {
        family = ProxyProtocolConfig.familyOf(key);
      }
      if (family == null) {
        family = ClusterKeys.familyOf(key);
      }
      if (family != null) {
        // ssl_options.versions.1 = tlsv1.3: each line adds one value to the family
        String before = families.contains(family) ? out.get(family) : null;
        families.add(family);
        out.put(family, before == null || before.isEmpty() ? value : before + "," + value);
        continue;
      }
      out.put(checkKey(key, file + ":" + (n + 1)), value);
    }
    return out;
  }

  private static BrokerConfig build(Map<String, String> v, Map<String, String> origins) {
    Path dataDir = Path.of(v.get("data_dir"));
    String ctl = v.get("ctl_socket");
    int frameMax = intValue(v, "frame_max", 4096, Integer.MAX_VALUE);
    String bind = v.get("bind");
    if (BrokerConfig.parseBind(bind).isEmpty()) {
      throw new ConfigException("configuration key 'bind' must name at least one address, got '" + bind + "'");
    }
    var cluster = ClusterKeys.from(v, dataDir, BrokerConfig.parseBind(bind));
    return new BrokerConfig(
        bind,
        intValue(v, "port", 0, 65535),
        dataDir,
        frameMax,
        intValue(v, "channel_max", 1, 65535),
        intValue(v, "heartbeat", 0, 65535),
        longValue(v, "max_message_size", 1, 512L * 1024 * 1024),
        intValue(v, "handshake_timeout", 100, Integer.MAX_VALUE),
        intValue(v, "segment_size", 64 * 1024, 1 << 30),
        v.get("default_user"),
        v.get("default_pass"),
        v.get("default_vhost"),
        Set.copyOf(Arrays.stream(v.get("loopback_users").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()),
        intValue(v, "consumers_per_channel", 1, Integer.MAX_VALUE),
        ctl == null || ctl.isEmpty() ? dataDir.resolve("warren.sock") : Path.of(ctl),
        v.get("management.tcp.ip").strip(),
        intValue(v, "management.tcp.port", 0, 65535),
        v.get("load_definitions").strip(),
        v.get("prometheus.tcp.ip").strip(),
        intValue(v, "prometheus.tcp.port", 0, 65535),
        intValue(v, "collect_statistics_interval", 10, 3_600_000),
        LogSettings.from(v),
        AuthConfigParser.parse(v, origins),
        ResourceSettings.watermark(v),
        ResourceSettings.diskFreeLimit(v),
        intValue(v, "memory_monitor_interval", 10, 3_600_000),
        TlsKeys.build(v, v.get("management.tcp.ip").strip(), v.get("prometheus.tcp.ip").strip()),
        v.get("connection_max").strip().equals("infinity") ? -1 : intValue(v, "connection_max", 0, Integer.MAX_VALUE),
        ProxyProtocolConfig.from(v),
        TcpListenOptions.from(v),
        plainListener(v),
        cluster,
        cluster != null ? cluster.nodeName()
            : v.get("node_name").isBlank() ? io.warrenmq.broker.view.Pids.localNodeName() : v.get("node_name").strip());
  }

  static int intValue(Map<String, String> v, String key, int min, int max) {
    return (int) longValue(v, key, min, max);
  }

  /** {@code listeners.tcp = none}: no plain AMQP listener, which needs an AMQPS one. */
  private static boolean plainListener(Map<String, String> v) {
    String s = v.get("listeners.tcp").strip();
    if (s.isEmpty()) {
      return true;
    }
    if (!s.equals("none")) {
      throw new ConfigException("configuration key 'listeners.tcp' takes only none (no plain AMQP listener), got '" + s
          + "'; the plain listener's addresses are set with bind and port");
    }
    if (v.get("listeners.ssl.default").isBlank() && v.get("listeners.ssl").isBlank()) {
      throw new ConfigException("configuration key 'listeners.tcp' is none but no AMQPS listener is set"
          + " (listeners.ssl.default): the broker would take no AMQP connections");
    }
    return false;
  }

  static boolean boolValue(Map<String, String> v, String key) {
    return switch (v.get(key).strip()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException("configuration key '" + key + "' must be true or false, got '" + v.get(key) + "'");
    };
  }

  static long longValue(Map<String, String> v, String key, long min, long max) {
    String s = v.get(key);
    long n;
    try {
      n = Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException("configuration key '" + key + "' must be a number, got '" + s + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException("configuration key '" + key + "' must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  /** The --help text: every key with its flag, environment variable and default. */
  public static String help() {
    StringBuilder sb = new StringBuilder("Usage: warren [--config FILE] [--KEY VALUE ...]\n\nKeys (flag, environment variable, default):\n");
    for (Key k : KEYS) {
      sb.append(String.format("  %-34s %-36s %s%n      %s%n", k.flag(), k.env(), k.defaultValue().isEmpty() ? "(none)" : k.defaultValue(), k.doc()));
    }
    sb.append("""

        Authentication (config file only; see docs/oauth2.md):
          auth_backends.N = internal | oauth2      the backend chain, in order (default: internal alone)
          auth_oauth2.resource_server_id, .verify_aud, .scope_prefix, .additional_scopes_key, .default_key,
          .signing_keys.<kid> = FILE, .jwks_url, .jwks_min_refresh_interval, .preferred_username_claims.N,
          .scope_aliases.<alias>
        """);
    sb.append("""

        bin/warren builds the broker on its first start (and again when the sources changed), with Maven
        and a JDK 25 it finds. It starts the JVM with WARREN_JVM_OPTS, which replaces the default options
        (see docs/configuration.md).
        """);
    return sb.toString();
  }

  /** A configuration error, reported to the user without a stack trace. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
