/**
 * The control interface behind warrenctl: a Unix domain socket in the data directory (protected by file permissions) taking rabbitmqctl-style commands, and the client that sends them. {@link io.warrenmq.server.ctl.CtlCommands} dispatches to one command group per topic (node, access control, queues, connections, policies); each translates to the broker's operations and formats the answer as rabbitmqctl 3.13 does, never re-implementing a broker rule. Depends on {@code warren-broker} and {@code warren-amqp} types.
 */
@NullMarked
package io.warrenmq.server.ctl;

import org.jspecify.annotations.NullMarked;
