package io.warrenmq.store.recovery;

import io.warrenmq.store.segment.SegmentFile;
import io.warrenmq.store.segment.SegmentNames;
import io.warrenmq.store.segment.SegmentPosition;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovers a queue's segment directory on boot: scans the segment files in id order with {@link
 * SegmentScanner}, deletes the dead ones (fully acked, or blank), and maps the others. Files that
 * are not segments are left alone.
 *
 * <p>Static helpers only; runs on the thread that opens the store, which may block.
 */
public final class StoreRecovery {

  private StoreRecovery() {}

  /**
   * What a queue's directory holds after recovery.
   *
   * @param segments the live segments in id order, mapped; the caller owns them
   * @param lastSegmentId the highest segment id seen (0 if none): new segments get higher ids
   * @param readyCount live records, all ready
   * @param readyWeight the sum of their weights
   * @param report what was found and done
   */
  public record Result(
      List<SegmentFile> segments,
      long lastSegmentId,
      long readyCount,
      long readyWeight,
      RecoveryReport report) {}

  /**
   * Recovers the segments in {@code dir}.
   *
   * @throws IOException on an I/O error, or if a segment file's id is above {@link
   *     SegmentPosition#MAX_SEGMENT_ID}
   */
  public static Result recover(Path dir) throws IOException {
    List<Long> ids = segmentIds(dir);
    List<SegmentFile> segments = new ArrayList<>();
    long ready = 0;
    long weight = 0;
    long dropped = 0;
    int torn = 0;
    long truncated = 0;
    int deleted = 0;
    try {
      for (long id : ids) {
        Path file = dir.resolve(SegmentNames.fileName(id));
        SegmentScanner.Result r = SegmentScanner.scan(file);
        dropped += r.transientDropped();
        if (r.bytesTruncated() > 0) {
          torn++;
          truncated += r.bytesTruncated();
        }
        if (r.dead()) {
          Files.delete(file);
          deleted++;
        } else {
          segments.add(SegmentFile.open(file, id, r.end(), r.records(), r.acked()));
          ready += r.records() - r.acked();
          weight += r.readyWeight();
        }
      }
    } catch (IOException | RuntimeException e) {
      for (SegmentFile s : segments) {
        s.close();
      }
      throw e;
    }
    long last = ids.isEmpty() ? 0 : ids.getLast();
    var report = new RecoveryReport(segments.size(), ready, dropped, torn, truncated, deleted);
    return new Result(List.copyOf(segments), last, ready, weight, report);
  }

  private static List<Long> segmentIds(Path dir) throws IOException {
    List<Long> ids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        long id = SegmentNames.parseId(f.getFileName().toString());
        if (id >= 0 && Files.isRegularFile(f)) {
          if (id > SegmentPosition.MAX_SEGMENT_ID) {
            // a position could not address its records: refuse rather than lose them silently
            throw new IOException(
                "segment id " + id + " above " + SegmentPosition.MAX_SEGMENT_ID + ": " + f);
          }
          ids.add(id);
        }
      }
    }
    ids.sort(null);
    return ids;
  }
}
