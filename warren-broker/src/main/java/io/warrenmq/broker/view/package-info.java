/**
 * Read-only views of connections and channels that the server implements and the command-line tool and management read, plus a registry of them. This keeps the dependency arrows pointing down: the broker never imports the server.
 */
@NullMarked
package io.warrenmq.broker.view;

import org.jspecify.annotations.NullMarked;
