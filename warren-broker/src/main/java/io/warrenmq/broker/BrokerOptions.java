package io.warrenmq.broker;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a broker is built from.
 *
 * @param dataDir root of everything durable (definitions, segment files)
 * @param segmentCapacity size of a queue's segment file
 * @param defaultUser user created on first boot, with all permissions on the default vhost
 * @param defaultPassword its password
 * @param defaultVhost vhost created on first boot
 * @param loopbackUsers users allowed to log in from loopback addresses only
 * @param nodeName this node's name ({@code warren@HOST} unless configured), in pids, the API, warrenctl
 */
public record BrokerOptions(
    Path dataDir,
    int segmentCapacity,
    String defaultUser,
    String defaultPassword,
    String defaultVhost,
    Set<String> loopbackUsers,
    String nodeName) {

  public BrokerOptions(Path dataDir, int segmentCapacity, String defaultUser, String defaultPassword,
      String defaultVhost, Set<String> loopbackUsers) {
    this(dataDir, segmentCapacity, defaultUser, defaultPassword, defaultVhost, loopbackUsers,
        io.warrenmq.broker.view.Pids.localNodeName());
  }

  public static final int DEFAULT_SEGMENT_CAPACITY = 8 * 1024 * 1024;

  public static BrokerOptions defaults(Path dataDir) {
    return new BrokerOptions(dataDir, DEFAULT_SEGMENT_CAPACITY, "guest", "guest", "/", Set.of("guest"));
  }
}
