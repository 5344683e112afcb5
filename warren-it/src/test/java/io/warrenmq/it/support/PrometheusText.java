package io.warrenmq.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape of a Prometheus endpoint, parsed as Prometheus's text format 0.0.4 (and OpenMetrics'
 * text, which has the same lines): families by name with their TYPE, HELP and samples. A
 * family's TYPE appearing twice is an error, as Prometheus rejects it.
 */
public final class PrometheusText {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** One sample line: the metric name, its labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** One family: TYPE, HELP and samples. */
  public record Family(String name, String type, String help, List<Sample> samples) {
    /** The value of the sample whose labels include all of {@code labels}. */
    public Optional<Double> value(Map<String, String> labels) {
      return samples.stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
          .map(Sample::value).findFirst();
    }
  }

  /** The answer of a GET: status, content type, body. */
  public record Scrape(int status, String contentType, String body) {
    public Map<String, Family> families() {
      return parse(body);
    }
  }

  private PrometheusText() {}

  public static Scrape get(int port, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Scrape(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses an exposition into families, in order. */
  public static Map<String, Family> parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> helps = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.equals("# EOF")) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] p = line.substring(7).split(" ", 2);
        if (types.put(p[0], p[1]) != null) {
          throw new IllegalStateException("second TYPE line for " + p[0]);
        }
        samples.putIfAbsent(p[0], new ArrayList<>());
      } else if (line.startsWith("# HELP ")) {
        String[] p = line.substring(7).split(" ", 2);
        helps.put(p[0], p.length > 1 ? p[1] : "");
      } else if (!line.startsWith("#")) {
        Sample s = sample(line);
        String family = familyOf(s.name(), types);
        samples.computeIfAbsent(family, k -> new ArrayList<>()).add(s);
      }
    }
    Map<String, Family> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
      out.put(e.getKey(), new Family(e.getKey(), types.getOrDefault(e.getKey(), "untyped"),
          helps.getOrDefault(e.getKey(), ""), e.getValue()));
    }
    return out;
  }

  /** The family a sample belongs to: its name, or the name without a histogram's or counter's suffix. */
  private static String familyOf(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int end = line.lastIndexOf('}');
      String body = line.substring(brace + 1, end);
      int i = 0;
      while (i < body.length()) {
        int eq = body.indexOf('=', i);
        String key = body.substring(i, eq);
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        while (body.charAt(j) != '"') {
          char c = body.charAt(j);
          if (c == '\\') {
            char n = body.charAt(++j);
            v.append(n == 'n' ? '\n' : n);
          } else {
            v.append(c);
          }
          j++;
        }
        labels.put(key, v.toString());
        i = j + 1;
        if (i < body.length() && body.charAt(i) == ',') {
          i++;
        }
      }
      space = line.indexOf(' ', end);
    } else {
      name = line.substring(0, line.indexOf(' '));
      space = line.indexOf(' ');
    }
    String rest = line.substring(space + 1).strip().split(" ")[0];
    return new Sample(name, labels, rest.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(rest));
  }
}
