package io.warrenmq.cluster.quorum;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.jspecify.annotations.Nullable;

/**
 * A quorum queue member's snapshots: its {@link QuorumState} at an applied index, in one file of
 * the group's state-machine directory (Ratis' {@code snapshot.TERM_INDEX} with its MD5), after
 * which Ratis drops the log entries up to that index. What a member that lacks those entries is
 * sent (Ratis' snapshot install, in chunks) is that file and the body segments, which are the
 * messages' state: the installing member's state-machine directory is replaced by them.
 *
 * <p>Threading: {@link #save} from the group's apply thread, the rest from Ratis' threads.
 */
final class QueueSnapshots {
  /** Snapshots kept on disk: the latest, and the one before while the latest may be being sent. */
  private static final SnapshotRetentionPolicy KEEP = new SnapshotRetentionPolicy() {
    @Override
    public int getNumSnapshotsRetained() {
      return 2;
    }
  };

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  /** A snapshot read back: where it was taken and the state's bytes. */
  record Loaded(TermIndex at, byte[] state) {}

  void init(RaftStorage raftStorage) throws IOException {
    storage.init(raftStorage);
  }

  SimpleStateMachineStorage storage() {
    return storage;
  }

  /** Writes the state as of {@code at} (written, forced and renamed into place), then drops older snapshots. */
  void save(TermIndex at, byte[] state) throws IOException {
    Path file = storage.getSnapshotFile(at.getTerm(), at.getIndex()).toPath();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(state);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile());
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, md5), at));
    storage.cleanupOldSnapshots(KEEP);
  }

  /** The latest snapshot on disk (also one just installed), or null. */
  @Nullable Loaded load() throws IOException {
    SingleFileSnapshotInfo s = storage.loadLatestSnapshot();
    if (s == null) {
      return null;
    }
    Path file = s.getFile().getPath();
    MD5Hash md5 = s.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file.toFile(), md5);
    }
    return new Loaded(s.getTermIndex(), Files.readAllBytes(file));
  }

  /**
   * The latest snapshot as Ratis sends it to a member that lacks its entries: the state file and
   * the body segments as they are when it is sent. Records past the snapshot's index may be in
   * them; the member cuts those ({@link QueueStateMachine#reinitialize}) and is sent their entries.
   */
  @Nullable SnapshotInfo latest(Supplier<@Nullable QuorumLog> bodies) {
    SingleFileSnapshotInfo s = storage.getLatestSnapshot();
    if (s == null) {
      return null;
    }
    return new SnapshotInfo() {
      /** Listed once: an install reads the list again for each file it sends. */
      private @Nullable List<FileInfo> files;

      @Override
      public TermIndex getTermIndex() {
        return s.getTermIndex();
      }

      @Override
      public synchronized List<FileInfo> getFiles() {
        if (files == null) {
          List<FileInfo> list = new ArrayList<>();
          list.add(s.getFile());
          QuorumLog b = bodies.get();
          if (b != null) {
            for (Path p : b.segmentPaths()) {
              list.add(new FileInfo(p, null)); // its digest is computed as it is read
            }
          }
          files = List.copyOf(list);
        }
        return files;
      }

      @Override
      public String toString() {
        return "snapshot " + s.getTermIndex() + " with the body segments";
      }
    };
  }
}
