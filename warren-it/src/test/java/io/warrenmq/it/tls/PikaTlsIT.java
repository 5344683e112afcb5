package io.warrenmq.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Python's pika over AMQPS with mutual TLS (src/test/resources/clients/pika_tls.py): Python's
 * ssl module verifies the broker against the test CA and presents a client certificate for
 * CN=guest; PLAIN works over it, and so does SASL EXTERNAL (pika's ExternalCredentials), logging
 * in as guest. Needs python3-pika, as PikaIT.
 */
class PikaTlsIT {
  static final TestCerts certs = TestCerts.create();

  @RegisterExtension
  static final BrokerExtension broker = new BrokerExtension(certs.mutualTlsSettings());

  @Test
  void pikaTalksOverMutualTlsWithPlainAndExternal() throws Exception {
    TestCerts.Issued client = certs.client("guest");
    Path script = Path.of(PikaTlsIT.class.getResource("/clients/pika_tls.py").toURI());
    ChildProcess.Result r = ChildProcess.run(List.of("/usr/bin/python3", script.toString(),
        Integer.toString(broker.tlsPort()), certs.caFile().toString(), client.certfile().toString(),
        client.keyfile().toString()), Duration.ofSeconds(60));
    assertThat(r.exitCode()).as("pika over TLS failed (python3-pika installed?):%n%s", r.output()).isZero();
    assertThat(r.output()).contains("step: PLAIN ok").contains("step: EXTERNAL ok").contains("PIKA TLS OK");
  }
}
