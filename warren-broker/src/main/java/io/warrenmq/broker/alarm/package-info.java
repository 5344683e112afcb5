/**
 * Resource alarms, as RabbitMQ's rabbit_alarm, vm_memory_monitor and rabbit_disk_monitor: the
 * alarms in effect and who listens to them ({@link io.warrenmq.broker.alarm.ResourceAlarms}), what
 * the broker's memory use is ({@link io.warrenmq.broker.alarm.MemoryUse}), and the periodic check
 * of memory and free disk space against the broker's {@link io.warrenmq.broker.ResourceLimits}
 * ({@link io.warrenmq.broker.alarm.ResourceMonitor}).
 */
@NullMarked
package io.warrenmq.broker.alarm;

import org.jspecify.annotations.NullMarked;
