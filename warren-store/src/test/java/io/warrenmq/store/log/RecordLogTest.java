package io.warrenmq.store.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordLogTest {

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("definitions").resolve("defs.log");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> strings(RecordLog log) {
    return log.records().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void appendedRecordsComeBackAfterReopen() throws IOException {
    try (RecordLog log = RecordLog.open(file())) {
      assertThat(log.records()).isEmpty();
      log.append(bytes("exchange amq.direct"));
      log.append(bytes("queue q1"));
      log.force();
    }
    try (RecordLog log = RecordLog.open(file())) {
      assertThat(strings(log)).containsExactly("exchange amq.direct", "queue q1");
      assertThat(log.recoveryReport().recordsRecovered()).isEqualTo(2);
      assertThat(log.recoveryReport().truncated()).isFalse();
    }
  }

  @Test
  void aTornTailIsCutAndAppendsContinueAfterTheLastWholeRecord() throws IOException {
    try (RecordLog log = RecordLog.open(file())) {
      log.append(bytes("one"));
      log.append(bytes("two"));
      log.append(bytes("three-is-torn"));
    }
    long size = Files.size(file());
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      ch.truncate(size - 4);
    }
    try (RecordLog log = RecordLog.open(file())) {
      assertThat(strings(log)).containsExactly("one", "two");
      assertThat(log.recoveryReport().tornTails()).isEqualTo(1);
      assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(8 + 13 - 4);
      log.append(bytes("four"));
    }
    try (RecordLog log = RecordLog.open(file())) {
      assertThat(strings(log)).containsExactly("one", "two", "four");
    }
  }

  @Test
  void aRecordWithABadChecksumAndEverythingAfterItIsCut() throws IOException {
    try (RecordLog log = RecordLog.open(file())) {
      log.append(bytes("good"));
      log.append(bytes("flipped"));
      log.append(bytes("after"));
    }
    // header 16, frame "good" 8 + 4: the second record's body starts at 36
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {'F'}), 36);
    }
    try (RecordLog log = RecordLog.open(file())) {
      assertThat(strings(log)).containsExactly("good");
      assertThat(Files.size(file())).isEqualTo(16 + 8 + 4);
    }
  }

  @Test
  void rewriteCompactsThenAppendsGoToTheNewFile() throws IOException {
    try (RecordLog log = RecordLog.open(file())) {
      for (int i = 0; i < 5; i++) {
        log.append(bytes("binding " + i));
      }
      log.rewrite(List.of(bytes("binding 1"), bytes("binding 3")));
      log.append(bytes("binding 5"));
      log.force();
    }
    assertThat(file().resolveSibling("defs.log.tmp")).doesNotExist();
    try (RecordLog log = RecordLog.open(file())) {
      assertThat(strings(log)).containsExactly("binding 1", "binding 3", "binding 5");
    }
  }

  @Test
  void aLogWithABadMagicIsRefused() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "this is not a record log at all");
    assertThatThrownBy(() -> RecordLog.open(file()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad magic")
        .hasMessageContaining("defs.log");
  }

  @Test
  void aLogTornAtCreationStartsEmptyButABlankHeaderBeforeDataIsRefused() throws IOException {
    Files.createDirectories(file().getParent());
    Files.write(file(), new byte[10]);
    try (RecordLog log = RecordLog.open(file())) {
      assertThat(log.records()).isEmpty();
      log.append(bytes("one"));
    }
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[16]), 0);
    }
    assertThatThrownBy(() -> RecordLog.open(file()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("blank header");
  }

  @Test
  void emptyAndOversizedRecordsAreRefused() throws IOException {
    try (RecordLog log = RecordLog.open(file())) {
      assertThatThrownBy(() -> log.append(new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.append(new byte[RecordLog.MAX_RECORD_SIZE + 1]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void forcingAClosedLogDoesNothingAndAppendingFails() throws IOException {
    RecordLog log = RecordLog.open(file());
    log.close();
    log.force();
    assertThatThrownBy(() -> log.append(bytes("late"))).isInstanceOf(IllegalStateException.class);
  }
}
