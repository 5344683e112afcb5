/**
 * The control interface behind warrenctl: a Unix domain socket in the data directory (protected by file permissions) taking rabbitmqctl-style commands, and the client that sends them.
 */
@NullMarked
package io.warrenmq.server.ctl;

import org.jspecify.annotations.NullMarked;
