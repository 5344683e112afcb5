package io.warrenmq.management.api;

import io.warrenmq.management.http.ApiException;
import io.warrenmq.management.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/health/checks/certificate-expiration/{within}/{unit}}, as RabbitMQ's
 * rabbit_mgmt_wm_health_check_certificate_expiration: the certfile and cacertfile of every TLS
 * listener are read, and a listener with a certificate that expires within the given time (or
 * is not valid yet, or cannot be read) fails the check with 503, listing the listener and the
 * expiry dates; otherwise 200 {"status":"ok"}. Units: days, weeks, months (365/12 days), years
 * (365 days).
 */
final class CertificateExpiration {
  private static final long DAY = 86_400;

  private final ObjectContext ctx;

  CertificateExpiration(ObjectContext ctx) {
    this.ctx = ctx;
  }

  Response check(Call c) {
    long seconds = seconds(c.param("within"), c.param("unit"));
    long deadline = Instant.now().getEpochSecond() + seconds;
    List<Map<String, Object>> expiring = new ArrayList<>();
    for (ServerInfo.Listener l : ctx.info().listeners().get()) {
      if (l.certfile().isEmpty()) {
        continue;
      }
      Object cert = expiring(l.certfile(), deadline);
      Object ca = expiring(l.cacertfile(), deadline);
      if (isEmpty(cert) && isEmpty(ca)) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", ctx.node());
      m.put("protocol", l.protocol());
      m.put("interface", l.ip());
      m.put("port", l.port());
      m.put("certfile", l.certfile());
      m.put("cacertfile", l.cacertfile());
      m.put("certfile_expires_on", cert);
      m.put("cacertfile_expires_on", ca);
      expiring.add(m);
    }
    if (expiring.isEmpty()) {
      return Response.ok(Map.of("status", "ok"));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "failed");
    m.put("reason", "Certificates expiring");
    m.put("expired", expiring);
    return Response.json(503, m);
  }

  private static boolean isEmpty(Object o) {
    return o instanceof List<?> l && l.isEmpty();
  }

  /** RabbitMQ's convert/2: an integer and a unit, or 400 with its text. */
  static long seconds(String within, String unit) {
    long n;
    try {
      n = Long.parseLong(within);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid expiration value.");
    }
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "days" -> n * DAY;
      case "weeks" -> n * DAY * 7;
      case "months" -> n * DAY * 365 / 12;
      case "years" -> n * DAY * 365;
      default -> throw ApiException.badRequest("Time unit not recognised. Supported units: days, weeks, months, years.");
    };
  }

  /**
   * The expiry dates of the file's certificates that end before {@code deadline}, as
   * "2027-01-05 9:03:00" (UTC, RabbitMQ's format); an entry {"error": ...} for a certificate not
   * valid yet; the whole answer {"error": ...} when the file cannot be read. [] for no file.
   */
  private static Object expiring(String file, long deadline) {
    if (file.isEmpty()) {
      return List.of();
    }
    List<Certificate> certs;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (IOException | CertificateException e) {
      return Map.of("error", "cannot read " + file + ": " + e.getMessage());
    }
    long now = Instant.now().getEpochSecond();
    List<Object> out = new ArrayList<>();
    for (Certificate c : certs) {
      X509Certificate x = (X509Certificate) c;
      if (x.getNotBefore().toInstant().getEpochSecond() > now) {
        out.add(Map.of("error", "Certificate is not yet valid"));
      } else if (x.getNotAfter().toInstant().getEpochSecond() < deadline) {
        out.add(format(x.getNotAfter().toInstant()));
      }
    }
    return out;
  }

  private static String format(Instant t) {
    ZonedDateTime d = t.atZone(ZoneOffset.UTC);
    return String.format("%d-%02d-%02d %d:%02d:%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth(),
        d.getHour(), d.getMinute(), d.getSecond());
  }
}
