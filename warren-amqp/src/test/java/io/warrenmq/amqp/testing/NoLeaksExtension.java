package io.warrenmq.amqp.testing;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector reports a buffer that was garbage collected without being
 * released (STYLE 9). Registered for every Jupiter test of the module through extension
 * auto-detection. Detection depends on the garbage collector, so a leak may be reported a test late
 * or not at all; it never reports one that did not happen. Handed-out buffers are also checked
 * directly with {@code refCnt() == 0} in the tests.
 */
public final class NoLeaksExtension implements AfterEachCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    try {
      Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
      field.setAccessible(true);
      ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
      detector.setLeakListener((type, records) -> LEAKS.add(type + " leaked:" + records));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.gc();
    // the detector looks for collected, unreleased buffers whenever a new one is tracked
    for (int i = 0; i < 100; i++) {
      ByteBufAllocator.DEFAULT.buffer(1).release();
    }
    List<String> leaks = new ArrayList<>(LEAKS);
    LEAKS.clear();
    if (!leaks.isEmpty()) {
      throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s): " + leaks);
    }
  }
}
