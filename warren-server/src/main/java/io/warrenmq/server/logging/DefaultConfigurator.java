package io.warrenmq.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until the broker's settings are known (and for warrenctl, which has
 * none): plaintext lines at info on standard output, Netty at warn. Found through the service
 * loader, so Logback looks for no configuration file.
 */
public final class DefaultConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    Logging.defaults(ctx);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
