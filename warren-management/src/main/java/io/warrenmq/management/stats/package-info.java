/**
 * Message statistics for the management API as RabbitMQ's management plugin renders them: a
 * {@link io.warrenmq.management.stats.StatsSampler} that ticks every {@code
 * collect_statistics_interval} and keeps, per object, only what a rate needs (the broker's
 * {@code RateSample}s), plus a bounded history for the overview, the vhosts and a few recently
 * viewed objects ({@link io.warrenmq.management.stats.SampleHistory}); the {@code ?lengths_age=...}
 * sample ranges ({@link io.warrenmq.management.stats.Ranges}); and {@link
 * io.warrenmq.management.stats.MessageStatsJson}, the one renderer, which the API's controllers
 * reach through {@link io.warrenmq.management.stats.SampledStats}, the implementation of the
 * {@code api} package's {@code ObjectStats} seam. Counts are read live from the broker's counters;
 * rates are computed when read. May depend on warren-broker and the {@code http}, {@code auth} and
 * {@code api} packages (never the reverse).
 */
@NullMarked
package io.warrenmq.management.stats;

import org.jspecify.annotations.NullMarked;
