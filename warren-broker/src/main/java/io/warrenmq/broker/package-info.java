/**
 * The broker's root: {@link io.warrenmq.broker.Broker} owns the virtual hosts, users, the definitions store and the group committer, and orders startup, recovery and shutdown. It is built from explicit options (no singletons), so tests can run several brokers in one JVM. Depends on every package below it, never on a wire method or a Netty channel.
 */
@NullMarked
package io.warrenmq.broker;

import org.jspecify.annotations.NullMarked;
