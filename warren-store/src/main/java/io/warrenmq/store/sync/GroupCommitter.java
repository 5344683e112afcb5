package io.warrenmq.store.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit: one platform thread that turns many "make this durable, then tell me" requests into
 * few fsyncs (STYLE 8.11, a confirm means fsynced). The thread waits for work, takes everything
 * pending as one batch, calls {@link Syncable#force()} once per distinct target in the batch, then
 * runs the callbacks in submission order: {@code onDurable} for the requests whose target was
 * forced, {@code onFailure} for those whose target failed. There is no linger timer: a lone request
 * is synced at once, and a batch is whatever piled up while the previous fsync ran.
 *
 * <p><b>Threading.</b> {@link #submit} is thread-safe and never blocks beyond a short lock (it is
 * called from Netty event loops). Callbacks run on the committer thread and must be short: the
 * broker's only hop to an event loop. A callback that throws is logged and the others still run.
 * The thread is a plain platform thread, never a Netty {@code FastThreadLocalThread}, so the
 * {@link BlockingGuard} lets it block.
 */
public final class GroupCommitter implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());

  private record Request(Syncable target, Runnable onDurable, Consumer<IOException> onFailure) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workArrived = lock.newCondition();
  private final Thread thread;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong forces = new AtomicLong();
  private final SyncStats stats = new SyncStats();

  // guarded by lock
  private List<Request> pending = new ArrayList<>();
  private boolean closing;

  /** Starts the committer thread, named {@code threadName}. */
  public GroupCommitter(String threadName) {
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    thread.start();
  }

  /**
   * Asks for {@code target} to be forced, then for {@code onDurable} (or {@code onFailure} with the
   * force's exception) to run on the committer thread. Never blocks. A {@link RemoteSyncable} is
   * not forced: the callbacks run when it completes, on the thread that completes it. After {@link #close()}, {@code
   * onFailure} runs at once on the caller's thread.
   */
  public void submit(Syncable target, Runnable onDurable, Consumer<IOException> onFailure) {
    if (target instanceof RemoteSyncable remote) {
      remote.durable().whenComplete((ok, e) -> {
        if (e == null) {
          onDurable.run();
        } else {
          Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
          onFailure.accept(cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
        }
      });
      return;
    }
    Request r = new Request(target, onDurable, onFailure);
    lock.lock();
    try {
      if (!closing) {
        pending.add(r);
        workArrived.signal();
        return;
      }
    } finally {
      lock.unlock();
    }
    onFailure.accept(new IOException("group committer " + thread.getName() + " is closed"));
  }

  /** Batches taken so far. */
  public long batches() {
    return batches.get();
  }

  /** Requests completed so far. */
  public long requests() {
    return requests.get();
  }

  /** {@link Syncable#force()} calls so far. */
  public long forces() {
    return forces.get();
  }

  /** Force latencies and batch sizes, for the metrics endpoint. */
  public SyncStats stats() {
    return stats;
  }

  /** Completes the pending requests, then stops the thread and waits for it. Blocks. */
  @Override
  public void close() {
    BlockingGuard.checkNotOnEventLoop();
    lock.lock();
    try {
      closing = true;
      workArrived.signal();
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() == thread) {
      return;
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Request> spare = new ArrayList<>();
    for (; ; ) {
      List<Request> batch;
      lock.lock();
      try {
        while (pending.isEmpty() && !closing) {
          workArrived.awaitUninterruptibly();
        }
        if (pending.isEmpty()) {
          return;
        }
        batch = pending;
        pending = spare;
      } finally {
        lock.unlock();
      }
      process(batch);
      batch.clear();
      spare = batch;
    }
  }

  private void process(List<Request> batch) {
    Map<Syncable, IOException> failures = new IdentityHashMap<>();
    Set<Syncable> forced = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Request r : batch) {
      if (forced.add(r.target())) {
        forces.incrementAndGet();
        long t0 = System.nanoTime();
        try {
          r.target().force();
          stats.force(System.nanoTime() - t0);
        } catch (IOException e) {
          failures.put(r.target(), e);
        } catch (RuntimeException e) {
          // a bug in a target must not strand every later confirm: it fails like an I/O error
          failures.put(r.target(), new IOException("force failed: " + e, e));
        }
      }
    }
    batches.incrementAndGet();
    stats.batch(batch.size());
    for (Request r : batch) {
      IOException failure = failures.get(r.target());
      try {
        if (failure == null) {
          r.onDurable().run();
        } else {
          r.onFailure().accept(failure);
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "group commit callback failed on " + thread.getName(), e);
      }
      requests.incrementAndGet();
    }
  }
}
