package io.warrenmq.broker;

import io.warrenmq.broker.vhost.DirNames;
import io.warrenmq.broker.vhost.VirtualHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot-time removal of files the definitions no longer refer to: the directories of deleted queues
 * and deleted vhosts. Deletions run in the background while the broker runs, so a crash (kill -9,
 * power loss) can leave them half done; without this their disk space would never come back.
 *
 * <p>Static helpers only; they block on the file system and run during {@code Broker.start}.
 */
final class OrphanFiles {
  private static final Logger log = LoggerFactory.getLogger(OrphanFiles.class);

  private OrphanFiles() {}

  /** Removes the queue directories of {@code vh} that none of its durable queues uses. */
  static void removeQueueDirectories(VirtualHost vh) {
    Set<Path> live = vh.queueDirectories();
    removeUnused(vh.durableDirectory(), p -> !live.contains(p.getFileName()), "no queue of vhost '" + vh.name() + "' uses it");
  }

  /** Removes the directories under {@code vhostsDir} that belong to none of {@code vhosts}. */
  static void removeVhostDirectories(Path vhostsDir, Collection<VirtualHost> vhosts) {
    Set<String> live = vhosts.stream().map(v -> DirNames.of(v.name())).collect(Collectors.toSet());
    removeUnused(vhostsDir, p -> !live.contains(p.getFileName().toString()), "no vhost uses it (a deleted vhost)");
  }

  private static void removeUnused(Path dir, java.util.function.Predicate<Path> unused, String why) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (unused.test(p)) {
          log.info("removing {}: {}", p, why);
          deleteRecursively(p);
        }
      }
    } catch (IOException e) {
      // the broker works without this cleanup; the space comes back at a later boot
      log.warn("could not clean {}: {}", dir, e.toString());
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
