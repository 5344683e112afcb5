package io.warrenmq.management.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One metric family's definition (name without prefix, type, help) and the snapshot of it for a
 * list of objects, each with its labels. The types are RabbitMQ's: counter, gauge, untyped (the
 * model's "unknown").
 *
 * @param <T> the objects a value is read from
 * @param name the name after the prefix ({@code queue_messages_ready})
 * @param type counter, gauge or untyped
 * @param help RabbitMQ's help text
 * @param value an object's value
 */
record Family<T>(String name, Type type, String help, ToDoubleFunction<T> value) {
  enum Type {
    COUNTER,
    GAUGE,
    UNTYPED
  }

  static <T> Family<T> counter(String name, String help, ToDoubleFunction<T> value) {
    return new Family<>(name, Type.COUNTER, help, value);
  }

  static <T> Family<T> gauge(String name, String help, ToDoubleFunction<T> value) {
    return new Family<>(name, Type.GAUGE, help, value);
  }

  static <T> Family<T> untyped(String name, String help, ToDoubleFunction<T> value) {
    return new Family<>(name, Type.UNTYPED, help, value);
  }

  /** The family over {@code objects}, the i-th labelled {@code labels.get(i)}. */
  MetricSnapshot snapshot(String prefix, List<T> objects, List<Labels> labels) {
    MetricMetadata meta = new MetricMetadata(prefix + name, help);
    int n = objects.size();
    switch (type) {
      case COUNTER -> {
        List<CounterSnapshot.CounterDataPointSnapshot> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          points.add(new CounterSnapshot.CounterDataPointSnapshot(value.applyAsDouble(objects.get(i)), labels.get(i), null, 0));
        }
        return new CounterSnapshot(meta, points);
      }
      case GAUGE -> {
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          points.add(new GaugeSnapshot.GaugeDataPointSnapshot(value.applyAsDouble(objects.get(i)), labels.get(i), null));
        }
        return new GaugeSnapshot(meta, points);
      }
      default -> {
        List<UnknownSnapshot.UnknownDataPointSnapshot> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          points.add(new UnknownSnapshot.UnknownDataPointSnapshot(value.applyAsDouble(objects.get(i)), labels.get(i), null));
        }
        return new UnknownSnapshot(meta, points);
      }
    }
  }

  /** The family with one unlabelled value {@code v} (an aggregated view). */
  MetricSnapshot value(String prefix, double v) {
    Family<Double> f = new Family<>(name, type, help, d -> d);
    return f.single(prefix, v);
  }

  /** The family with one unlabelled value read from {@code object}. */
  MetricSnapshot single(String prefix, T object) {
    return snapshot(prefix, List.of(object), List.of(Labels.EMPTY));
  }

  /** A histogram from per-bucket (not cumulative) counts. */
  static MetricSnapshot histogram(String name, String help, double[] bounds, long[] counts, double sum) {
    // the model takes per-bucket counts and writes them cumulated
    HistogramSnapshot.HistogramDataPointSnapshot point = new HistogramSnapshot.HistogramDataPointSnapshot(
        ClassicHistogramBuckets.of(bounds, counts), sum, Labels.EMPTY, null, 0);
    return new HistogramSnapshot(new MetricMetadata(name, help), List.of(point));
  }
}
