package io.warrenmq.server.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * The broker's configuration, immutable. Built by {@link ConfigLoader}; every field has a key
 * documented in docs/configuration.md.
 *
 * @param bind address the AMQP listener binds to
 * @param port AMQP port (0 = pick a free one)
 * @param dataDir root of all durable state
 * @param frameMax largest frame offered in connection.tune, header and end byte included
 * @param channelMax highest channel number offered in connection.tune
 * @param heartbeat heartbeat interval offered in connection.tune, seconds (0 = none)
 * @param maxMessageSize largest message body accepted, bytes
 * @param handshakeTimeoutMs time a client gets to complete the handshake
 * @param segmentSize size of a queue's segment files, bytes
 * @param defaultUser user created on first boot
 * @param defaultPass its password
 * @param defaultVhost vhost created on first boot
 * @param loopbackUsers users that may connect from loopback addresses only
 * @param consumersPerChannel most consumers one channel may have
 * @param ctlSocket path of the control socket (warrenctl)
 */
public record BrokerConfig(
    String bind,
    int port,
    Path dataDir,
    int frameMax,
    int channelMax,
    int heartbeat,
    long maxMessageSize,
    int handshakeTimeoutMs,
    int segmentSize,
    String defaultUser,
    String defaultPass,
    String defaultVhost,
    Set<String> loopbackUsers,
    int consumersPerChannel,
    Path ctlSocket) {}
