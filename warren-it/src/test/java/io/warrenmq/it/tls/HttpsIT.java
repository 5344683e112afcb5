package io.warrenmq.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.BrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The management API and the Prometheus endpoint over HTTPS (management.ssl.*, prometheus.ssl.*)
 * with the JDK's HTTP client trusting the test CA, and the certificate-expiration health check
 * over the TLS listeners' certificates (the server's is valid 30 days).
 */
class HttpsIT {
  static final TestCerts certs = TestCerts.create();
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final BrokerExtension broker = BrokerExtension.withManagement(Map.ofEntries(
      Map.entry("listeners.ssl.default", "0"),
      Map.entry("ssl_options.certfile", certs.dir.resolve("server.pem").toString()),
      Map.entry("ssl_options.keyfile", certs.dir.resolve("server.key").toString()),
      Map.entry("ssl_options.cacertfile", certs.caFile().toString()),
      Map.entry("management.ssl.port", Integer.toString(freePort())),
      Map.entry("management.ssl.certfile", certs.dir.resolve("server.pem").toString()),
      Map.entry("management.ssl.keyfile", certs.dir.resolve("server.key").toString()),
      Map.entry("management.ssl.versions", "tlsv1.3"),
      Map.entry("prometheus.ssl.port", Integer.toString(freePort())),
      Map.entry("prometheus.ssl.certfile", certs.dir.resolve("server.pem").toString()),
      Map.entry("prometheus.ssl.keyfile", certs.dir.resolve("server.key").toString())));

  private static int freePort() {
    try {
      return BrokerProcess.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> get(String scheme, int port, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(certs.clientContext(null, "TLS")).connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest r = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(10)).build();
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> json(HttpResponse<String> r) throws IOException {
    return JSON.readValue(r.body(), new TypeReference<>() {});
  }

  @Test
  void theManagementApiAnswersOverHttpsAndListsTheTlsListeners() throws Exception {
    int port = broker.server().managementSslPort();
    HttpResponse<String> r = get("https", port, "/api/overview");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"protocol\":\"amqp/ssl\"").contains("\"protocol\":\"https\"");
    assertThat(get("https", port, "/api/health/checks/protocol-listener/amqps").statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> get("http", port, "/api/overview")).as("plain HTTP on the HTTPS port")
        .isInstanceOf(IOException.class);
    assertThat(get("http", broker.managementPort(), "/api/overview").statusCode()).as("the plain listener stays")
        .isEqualTo(200);
  }

  @Test
  void prometheusAnswersOverHttps() throws Exception {
    HttpResponse<String> r = get("https", broker.server().prometheusSslPort(), "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("rabbitmq_");
  }

  @Test
  @SuppressWarnings("unchecked")
  void certificateExpirationPassesForAWeekAndFailsForTwoMonthsListingTheListeners() throws Exception {
    int port = broker.managementPort();
    HttpResponse<String> ok = get("http", port, "/api/health/checks/certificate-expiration/1/weeks");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok)).isEqualTo(Map.of("status", "ok"));

    HttpResponse<String> failed = get("http", port, "/api/health/checks/certificate-expiration/2/months");
    assertThat(failed.statusCode()).isEqualTo(503);
    Map<String, Object> body = json(failed);
    assertThat(body).containsEntry("status", "failed").containsEntry("reason", "Certificates expiring");
    List<Map<String, Object>> expired = (List<Map<String, Object>>) body.get("expired");
    assertThat(expired).extracting(m -> m.get("protocol"))
        .containsExactlyInAnyOrder("amqp/ssl", "https", "https/prometheus");
    Map<String, Object> amqps = expired.stream().filter(m -> m.get("protocol").equals("amqp/ssl")).findFirst().orElseThrow();
    assertThat(amqps).containsEntry("port", broker.tlsPort()).containsEntry("interface", "127.0.0.1")
        .containsEntry("certfile", certs.dir.resolve("server.pem").toString())
        .containsEntry("cacertfile_expires_on", List.of());
    assertThat((List<String>) amqps.get("certfile_expires_on")).singleElement().asString()
        .matches("\\d{4}-\\d{2}-\\d{2} \\d{1,2}:\\d{2}:\\d{2}");

    HttpResponse<String> bad = get("http", port, "/api/health/checks/certificate-expiration/1/fortnights");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("Time unit not recognised. Supported units: days, weeks, months, years.");
    assertThat(get("http", port, "/api/health/checks/certificate-expiration/soon/days").body())
        .contains("Invalid expiration value.");
  }
}
