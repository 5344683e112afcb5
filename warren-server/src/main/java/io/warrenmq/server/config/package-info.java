/**
 * The broker's configuration: {@link io.warrenmq.server.config.BrokerConfig} (an immutable record) and its loading from defaults, a config file, environment variables and command-line flags, in that order of precedence. Every key is documented in docs/configuration.md. Depends on nothing of ours.
 */
@NullMarked
package io.warrenmq.server.config;

import org.jspecify.annotations.NullMarked;
