/**
 * Read-only views of connections and channels that the server implements and the command-line tool and management read, plus a registry of them and their synthetic Erlang-style pids. This keeps the dependency arrows pointing down: the broker never imports the server. Depends on {@code warren-amqp} types only.
 */
@NullMarked
package io.warrenmq.broker.view;

import org.jspecify.annotations.NullMarked;
