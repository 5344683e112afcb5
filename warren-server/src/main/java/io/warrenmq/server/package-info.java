/**
 * The composition root: {@link io.warrenmq.server.Main} parses the configuration, starts the broker, the AMQP listener and the control socket in order, logs what it recovered, and stops them in reverse order on SIGTERM.
 */
@NullMarked
package io.warrenmq.server;

import org.jspecify.annotations.NullMarked;
