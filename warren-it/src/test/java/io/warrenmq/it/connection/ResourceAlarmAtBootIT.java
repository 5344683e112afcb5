package io.warrenmq.it.connection;

import static io.warrenmq.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warrenmq.broker.ResourceLimits.MemoryWatermark;
import io.warrenmq.it.support.BrokerExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A watermark from the configuration ({@code vm_memory_high_watermark.absolute} with a unit) that
 * the broker is above from its start: the first publish is blocked; a client that does not
 * announce the connection.blocked capability is blocked all the same but never sent the method; a
 * blocked client whose heartbeats go unread is not dropped for missing them.
 */
class ResourceAlarmAtBootIT {
  @RegisterExtension
  static final BrokerExtension broker = new BrokerExtension(
      Map.of("vm_memory_high_watermark.absolute", "1MB", "memory_monitor_interval", "100"));

  @Test
  void theConfiguredWatermarkRaisesTheAlarmAndBlocksTheFirstPublishOfEveryClient() throws Exception {
    eventually("memory alarm raised at boot", () -> !broker.server().broker().alarms().active().isEmpty());
    ConnectionFactory noCapability = broker.factory();
    Map<String, Object> props = new HashMap<>(noCapability.getClientProperties());
    @SuppressWarnings("unchecked")
    Map<String, Object> caps = new HashMap<>((Map<String, Object>) props.get("capabilities"));
    caps.remove("connection.blocked");
    props.put("capabilities", caps);
    noCapability.setClientProperties(props);
    ConnectionFactory withHeartbeat = broker.factory();
    withHeartbeat.setRequestedHeartbeat(1);
    try (Connection consumer = broker.factory().newConnection();
        Connection aware = withHeartbeat.newConnection();
        Connection unaware = noCapability.newConnection()) {
      List<String> heardAware = new CopyOnWriteArrayList<>();
      List<String> heardUnaware = new CopyOnWriteArrayList<>();
      aware.addBlockedListener(listener(heardAware));
      unaware.addBlockedListener(listener(heardUnaware));
      Channel cc = consumer.createChannel();
      cc.queueDeclare("boot-alarm", false, false, false, null);
      AtomicInteger received = new AtomicInteger();
      cc.basicConsume("boot-alarm", true, (tag, d) -> received.incrementAndGet(), tag -> {});
      Channel a = aware.createChannel();
      Channel u = unaware.createChannel();
      for (int i = 0; i < 300; i++) {
        a.basicPublish("", "boot-alarm", null, new byte[1024]);
        u.basicPublish("", "boot-alarm", null, new byte[1024]);
      }
      eventually("the aware client is told", () -> heardAware.equals(List.of("blocked:low on memory")));
      Thread.sleep(500);
      int atBlock = received.get();
      Thread.sleep(3000); // beyond two heartbeat intervals: its unread heartbeats do not close it
      assertThat(received.get()).isEqualTo(atBlock).isLessThan(600);
      assertThat(heardUnaware).isEmpty();
      assertThat(aware.isOpen()).isTrue();

      broker.server().broker().resourceLimits().setMemoryHighWatermark(new MemoryWatermark.Relative(0.9));
      eventually("both publishers' messages arrive once the alarm clears", () -> received.get() == 600);
      eventually("the aware client is told it is unblocked", () -> heardAware.contains("unblocked"));
      assertThat(heardUnaware).isEmpty();
    }
  }

  private static BlockedListener listener(List<String> heard) {
    return new BlockedListener() {
      @Override
      public void handleBlocked(String reason) {
        heard.add("blocked:" + reason);
      }

      @Override
      public void handleUnblocked() {
        heard.add("unblocked");
      }
    };
  }
}
