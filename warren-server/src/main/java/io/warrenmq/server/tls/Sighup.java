package io.warrenmq.server.tls;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGHUP (the certificate reload), through the JDK's sun.misc.Signal, reached
 * reflectively: javac has no way to silence its warning, and the build treats warnings as errors.
 * Without it (another JVM, or -Xrs) SIGHUP keeps the JVM's meaning and a warning says so.
 */
public final class Sighup {
  private static final Logger log = LoggerFactory.getLogger(Sighup.class);

  private Sighup() {}

  /** Installs {@code action} as the SIGHUP handler; false if this JVM does not allow it. */
  public static boolean handle(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) -> {
        if (m.getName().equals("handle")) {
          Thread.ofPlatform().name("warren-sighup").start(action); // not on the JVM's signal thread
          return null;
        }
        return switch (m.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> "SIGHUP handler";
        };
      });
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      signal.getMethod("handle", signal, handler).invoke(null, hup, h);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("SIGHUP will not reload certificates: {}", e.toString());
      return false;
    }
  }
}
