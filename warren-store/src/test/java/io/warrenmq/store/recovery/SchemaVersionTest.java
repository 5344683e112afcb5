package io.warrenmq.store.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaVersionTest {

  @TempDir Path dir;

  @Test
  void aNewDataDirectoryGetsTheCurrentVersion() throws IOException {
    Path data = dir.resolve("data");
    assertThat(SchemaVersion.checkOrCreate(data)).isEqualTo(SchemaVersion.CURRENT);
    assertThat(Files.readString(data.resolve("schema_version")).strip()).isEqualTo("1");
    assertThat(SchemaVersion.checkOrCreate(data)).isEqualTo(SchemaVersion.CURRENT);
  }

  @Test
  void anUnknownVersionIsRefused() throws IOException {
    Files.writeString(dir.resolve("schema_version"), "7\n");
    assertThatThrownBy(() -> SchemaVersion.checkOrCreate(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("schema version 7");
  }

  @Test
  void garbageIsRefused() throws IOException {
    Files.writeString(dir.resolve("schema_version"), "seven");
    assertThatThrownBy(() -> SchemaVersion.checkOrCreate(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unreadable");
  }
}
