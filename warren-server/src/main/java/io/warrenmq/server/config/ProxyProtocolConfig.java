package io.warrenmq.server.config;

import io.warrenmq.server.config.ConfigLoader.ConfigException;
import io.warrenmq.server.config.ConfigLoader.Key;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PROXY protocol on the AMQP and AMQPS listeners (docs/configuration.md#proxy-protocol):
 * RabbitMQ's {@code proxy_protocol} key, and WarrenMQ's own {@code proxy_protocol.trusted_sources}
 * (RabbitMQ has none): the addresses a load balancer connects from. That key is a family as
 * RabbitMQ's numbered keys are: in a file each {@code proxy_protocol.trusted_sources.N = RANGE}
 * line adds a range; the key itself, a flag or the environment take a comma-separated list.
 *
 * @param enabled every AMQP connection must start with a PROXY protocol header ({@code proxy_protocol})
 * @param trustedSources the peers that may (and must) send one; empty: every peer, as RabbitMQ
 */
public record ProxyProtocolConfig(boolean enabled, List<AddressRange> trustedSources) {
  public static final ProxyProtocolConfig OFF = new ProxyProtocolConfig(false, List.of());

  static final String ENABLED = "proxy_protocol";
  static final String TRUSTED_SOURCES = "proxy_protocol.trusted_sources";

  static final List<Key> KEYS = List.of(
      new Key(ENABLED, "false",
          "every AMQP and AMQPS connection must start with a PROXY protocol v1 or v2 header, as from HAProxy or a cloud"
              + " load balancer (RabbitMQ's key); its source address is the client's"),
      Key.rabbit(TRUSTED_SOURCES, "proxy-protocol-trusted-sources", "",
          "addresses or CIDR ranges the load balancers connect from (proxy_protocol.trusted_sources.N lines in a file,"
              + " comma-separated elsewhere); others are refused. Default: every address"));

  public ProxyProtocolConfig {
    trustedSources = List.copyOf(trustedSources);
  }

  /** The family a file key belongs to ({@code proxy_protocol.trusted_sources.1}), or null. */
  static @Nullable String familyOf(String key) {
    String f = TRUSTED_SOURCES + ".";
    return key.startsWith(f) && key.length() > f.length() && key.indexOf('.', f.length()) < 0 ? TRUSTED_SOURCES : null;
  }

  static ProxyProtocolConfig from(Map<String, String> v) {
    boolean enabled = ConfigLoader.boolValue(v, ENABLED);
    List<AddressRange> trusted = new ArrayList<>();
    for (String s : v.get(TRUSTED_SOURCES).split(",")) {
      if (s.isBlank()) {
        continue;
      }
      try {
        trusted.add(AddressRange.parse(s));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("configuration key '" + TRUSTED_SOURCES + "' must list IP addresses or CIDR ranges"
            + " (10.0.0.0/8, fd00::/8), got '" + s.strip() + "': " + e.getMessage());
      }
    }
    if (!trusted.isEmpty() && !enabled) {
      // trusted sources without the header would let every peer in unchecked: say so rather than ignore the key
      throw new ConfigException("configuration key '" + TRUSTED_SOURCES + "' is set but '" + ENABLED + "' is not true");
    }
    return new ProxyProtocolConfig(enabled, trusted);
  }

  /** Whether a connection from {@code peer} may send the header: every peer when no range is set. */
  public boolean trusts(InetAddress peer) {
    return trustedSources.isEmpty() || trustedSources.stream().anyMatch(r -> r.contains(peer));
  }
}
