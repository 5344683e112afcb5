package io.warrenmq.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ChildProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Python's pika (Debian's python3-pika, run with /usr/bin/python3) against the broker: declare,
 * publish with properties and confirms, basic.get, consume with acks, exchange and bindings
 * (exchange-to-exchange too), reject/nack/recover/purge, transactions, a broker-side consumer
 * cancel, heartbeats, and messages crossing between pika and the Java client both ways. The script is
 * src/test/resources/clients/pika_roundtrip.py. CI installs python3-pika; without it this test
 * fails (it is not skipped), saying what to install.
 */
class PikaIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  private static final String PYTHON = "/usr/bin/python3";

  static ChildProcess.Result run(List<String> cmd) throws IOException, InterruptedException {
    return ChildProcess.run(cmd, Duration.ofSeconds(60));
  }

  @BeforeAll
  static void pikaIsInstalled() throws Exception {
    ChildProcess.Result r;
    try {
      r = run(List.of(PYTHON, "-c", "import pika; print(pika.__version__)"));
    } catch (IOException e) {
      throw new AssertionError(PYTHON + " cannot be run (" + e.getMessage() + "): install python3 and python3-pika"
          + " (apt-get install python3-pika)", e);
    }
    assertThat(r.exitCode())
        .as("'%s -c \"import pika\"' failed: install python3-pika (apt-get install python3-pika). Output:%n%s",
            PYTHON, r.output())
        .isZero();
  }

  @Test
  void pikaDeclaresPublishesWithConfirmsGetsConsumesAndRoutesThroughAnExchange() throws Exception {
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare("pika.from-java", true, false, false, null);
      ch.basicPublish("", "pika.from-java", new AMQP.BasicProperties.Builder().contentType("text/plain")
          .correlationId("java-1").deliveryMode(2).headers(Map.of("origin", "java", "n", 7)).build(),
          "from java".getBytes(StandardCharsets.UTF_8));
    }

    ChildProcess.Result r = run(List.of(PYTHON, script().toString(), Integer.toString(broker.port())));

    assertThat(r.exitCode()).as("pika script failed:%n%s", r.output()).isZero();
    assertThat(r.output()).contains("PIKA OK");
    try (Connection c = broker.factory().newConnection(); Channel ch = c.createChannel()) {
      GetResponse g = ch.basicGet("pika.to-java", true);
      assertThat(g).as("pika's message for Java").isNotNull();
      assertThat(new String(g.getBody(), StandardCharsets.UTF_8)).isEqualTo("héllo from pika");
      assertThat(g.getProps().getContentType()).isEqualTo("text/plain");
      assertThat(g.getProps().getCorrelationId()).isEqualTo("py-1");
      assertThat(g.getProps().getDeliveryMode()).isEqualTo(2);
      assertThat(g.getProps().getHeaders().get("origin").toString()).isEqualTo("pika");
      assertThat(g.getProps().getHeaders().get("n")).isEqualTo(3);
      assertThat(broker.server().broker().vhost("/").queue("pika.q")).as("pika deleted its queue").isNull();
      assertThat(broker.server().broker().vhost("/").exchange("pika.x")).as("and its exchange").isNull();
    }
  }

  private static Path script() throws URISyntaxException {
    var url = PikaIT.class.getResource("/clients/pika_roundtrip.py");
    assertThat(url).as("pika_roundtrip.py on the test classpath").isNotNull();
    return Path.of(url.toURI());
  }
}
