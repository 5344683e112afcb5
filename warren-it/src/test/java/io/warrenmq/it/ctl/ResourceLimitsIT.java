package io.warrenmq.it.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.warrenmq.broker.ResourceLimits;
import io.warrenmq.broker.ResourceLimits.DiskFreeLimit;
import io.warrenmq.broker.ResourceLimits.MemoryWatermark;
import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.WarrenctlScript;
import io.warrenmq.it.support.WarrenctlScript.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * set_vm_memory_high_watermark and set_disk_free_limit through the real bin/warrenctl: validated
 * with rabbitmqctl 3.13's rules and texts, kept in the broker's ResourceLimits (which the resource
 * alarms read), shown by status and environment, and, as in RabbitMQ, not kept across a restart.
 */
class ResourceLimitsIT {
  @RegisterExtension static final BrokerExtension broker = new BrokerExtension();

  static Result ctl(String... args) throws Exception {
    return WarrenctlScript.run(broker, args);
  }

  static Result ok(String... args) throws Exception {
    Result r = ctl(args);
    assertThat(r.code()).as("warrenctl %s: %s%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  static ResourceLimits limits() {
    return broker.server().broker().resourceLimits();
  }

  @AfterEach
  void backToTheDefaults() {
    limits().setMemoryHighWatermark(new MemoryWatermark.Relative(ResourceLimits.DEFAULT_MEMORY_FRACTION));
    limits().setDiskFreeLimit(new DiskFreeLimit.Absolute(ResourceLimits.DEFAULT_DISK_FREE_LIMIT));
  }

  @Test
  void theDefaultsAreRabbitmq313s() throws Exception {
    assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Relative(0.4));
    assertThat(limits().diskFreeLimitBytes()).isEqualTo(50_000_000L);
    Result status = ok("status");
    assertThat(status.out()).startsWith("Status of node warren@")
        .contains("Memory high watermark setting: 0.4 of available memory, computed to: ")
        .contains("Low free disk space watermark: 0.05 gb")
        .containsPattern("Free disk space: \\d+\\.\\d+ gb");
  }

  @Nested
  class MemoryHighWatermark {
    @Test
    void aFractionOfTheMemoryAvailable() throws Exception {
      Result r = ok("set_vm_memory_high_watermark", "0.6");
      assertThat(r.out()).startsWith("Setting memory threshold on warren@").endsWith(" to 0.6 ...\n");
      assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Relative(0.6));
      assertThat(limits().memoryLimitBytes()).isEqualTo((long) (0.6 * limits().totalMemory()));
      assertThat(ok("status").out()).contains("Memory high watermark setting: 0.6 of available memory, computed to: ");
      assertThat(ok("environment").out()).startsWith("Application environment of node warren@")
          .contains("{vm_memory_high_watermark,0.6}");
    }

    @Test
    void anAbsoluteValueWithUnits() throws Exception {
      Result r = ok("set_vm_memory_high_watermark", "absolute", "2GB");
      assertThat(r.out()).endsWith(" to 2GB bytes ...\n");
      assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Absolute(2_000_000_000L));
      ok("set_vm_memory_high_watermark", "absolute", "512MiB");
      assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Absolute(512L << 20));
      ok("set_vm_memory_high_watermark", "absolute", "1073741824");
      assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Absolute(1L << 30));
      assertThat(ok("status").out()).contains("Memory high watermark setting: 1.0737 gb, computed to: ");
      assertThat(ok("environment").out()).contains("{vm_memory_high_watermark,{absolute,1073741824}}");
    }

    @Test
    void aFractionOutsideZeroToOneIsRefusedWithRabbitmqctlsText() throws Exception {
      Result r = ctl("set_vm_memory_high_watermark", "1.5");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("Error (argument validation): Bad argument: The threshold should be a fraction "
          + "between 0.0 and 1.0\nArguments given:\n\tset_vm_memory_high_watermark 1.5\n");
      assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Relative(0.4));
    }

    @Test
    void badValuesAndUnits() throws Exception {
      assertThat(ctl("set_vm_memory_high_watermark", "lots").err())
          .startsWith("Error (argument validation): Bad argument.\n");
      assertThat(ctl("set_vm_memory_high_watermark", "absolute", "2XB").err())
          .startsWith("Error (argument validation): Bad argument: Invalid units.\n");
      assertThat(ctl("set_vm_memory_high_watermark", "absolute", "1.5GB").err())
          .startsWith("Error (argument validation): Bad argument: The threshold should be an integer.\n");
      Result none = ctl("set_vm_memory_high_watermark");
      assertThat(none.code()).isEqualTo(2);
      assertThat(none.err()).startsWith("Error (argument validation): not enough arguments.\n");
      assertThat(ctl("set_vm_memory_high_watermark", "absolute").code()).isEqualTo(2);
      assertThat(ctl("set_vm_memory_high_watermark", "0.5", "0.6").err()).contains("too many arguments.");
      assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Relative(0.4));
    }
  }

  @Nested
  class DiskFree {
    @Test
    void bytesOrUnits() throws Exception {
      Result r = ok("set_disk_free_limit", "1GB");
      assertThat(r.out()).startsWith("Setting disk free limit on warren@").endsWith(" to 1GB bytes ...\n");
      assertThat(limits().diskFreeLimitBytes()).isEqualTo(1_000_000_000L);
      ok("set_disk_free_limit", "2000000");
      assertThat(limits().diskFreeLimit()).isEqualTo(new DiskFreeLimit.Absolute(2_000_000L));
      assertThat(ok("status").out()).contains("Low free disk space watermark: 0.002 gb");
      assertThat(ok("environment").out()).contains("{disk_free_limit,2000000}");
    }

    @Test
    void aMultipleOfTheMemoryAvailable() throws Exception {
      Result r = ok("set_disk_free_limit", "mem_relative", "1.5");
      assertThat(r.out()).endsWith(" to 1.5 times the total RAM ...\n");
      assertThat(limits().diskFreeLimit()).isEqualTo(new DiskFreeLimit.MemRelative(1.5));
      assertThat(limits().diskFreeLimitBytes()).isEqualTo(Math.round(1.5 * limits().totalMemory()));
      assertThat(ok("environment").out()).contains("{disk_free_limit,{mem_relative,1.5}}");
    }

    @Test
    void badValuesAreRefusedWithRabbitmqctlsText() throws Exception {
      Result units = ctl("set_disk_free_limit", "1.5GB");
      assertThat(units.code()).isEqualTo(1);
      assertThat(units.err()).startsWith("Error (argument validation): Bad argument.\n");
      assertThat(ctl("set_disk_free_limit", "mem_relative", "-1").err()).contains("Bad argument.");
      assertThat(ctl("set_disk_free_limit", "mem_relative").code()).isEqualTo(2);
      assertThat(ctl("set_disk_free_limit").err()).contains("not enough arguments.");
      assertThat(limits().diskFreeLimitBytes()).isEqualTo(50_000_000L);
    }
  }

  @Test
  void theSettingsAreForThisRunOnlyAsInRabbitmq() throws Exception {
    ok("set_vm_memory_high_watermark", "0.7");
    ok("set_disk_free_limit", "3GB");
    broker.restart();
    assertThat(limits().memoryHighWatermark()).isEqualTo(new MemoryWatermark.Relative(0.4));
    assertThat(limits().diskFreeLimitBytes()).isEqualTo(50_000_000L);
    assertThat(ok("environment").out()).contains("{disk_free_limit,50000000}", "{vm_memory_high_watermark,0.4}");
  }
}
