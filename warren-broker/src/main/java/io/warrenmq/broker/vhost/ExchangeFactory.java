package io.warrenmq.broker.vhost;

import io.netty.buffer.ByteBufAllocator;
import io.warrenmq.amqp.AmqpException;
import io.warrenmq.amqp.ReplyCode;
import io.warrenmq.broker.exchange.DelayedMessageExchange;
import io.warrenmq.broker.exchange.Exchange;
import io.warrenmq.broker.exchange.ExchangeDeduplication;
import io.warrenmq.broker.exchange.ExchangeSpec;
import io.warrenmq.broker.message.Message;
import io.warrenmq.broker.policy.Policies;
import io.warrenmq.broker.policy.Policy;
import io.warrenmq.broker.queue.ArgumentTypes;
import io.warrenmq.broker.queue.DelayedMessages;
import io.warrenmq.store.queue.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an exchange of one vhost is made of: the type check and RabbitMQ's equivalence check of a
 * redeclaration, the creation of exchanges with their disk-backed parts (the held messages of an
 * {@code x-delayed-message} exchange, the seen-id log of a deduplicating one), the alternate
 * exchange its policies give it, and the teardown of those parts when the exchange is deleted, the
 * broker stops or the vhost is deleted.
 *
 * <p>Threading: holds no mutable state of its own. {@link #create} opens (and, if durable,
 * recovers) files, so it blocks on disk; the {@link ExchangeRegistry} calls it under the vhost's
 * lock, as it calls the teardown methods. The static checks are pure and run on any thread.
 */
final class ExchangeFactory {
  private static final Logger log = LoggerFactory.getLogger(ExchangeFactory.class);

  private final String vhost;
  private final Path durableDir;
  private final Path transientDir;
  private final StoreOptions storeOptions;
  private final ByteBufAllocator alloc;
  private final Executor blocking;
  private final ScheduledExecutorService timers;
  private final Policies policies;
  private final BiConsumer<DelayedMessageExchange, Message> due;

  /**
   * @param durableDir the vhost's durable queue directory; durable exchange files go in its
   *     sibling {@code exchanges}
   * @param due routes a delayed message whose delay is over (the vhost's {@link Router})
   */
  ExchangeFactory(
      String vhost,
      Path durableDir,
      Path transientDir,
      StoreOptions storeOptions,
      ByteBufAllocator alloc,
      Executor blocking,
      ScheduledExecutorService timers,
      Policies policies,
      BiConsumer<DelayedMessageExchange, Message> due) {
    this.vhost = vhost;
    this.durableDir = durableDir;
    this.transientDir = transientDir;
    this.storeOptions = storeOptions;
    this.alloc = alloc;
    this.blocking = blocking;
    this.timers = timers;
    this.policies = policies;
    this.due = due;
  }

  /**
   * RabbitMQ 3.13.7 (rabbit_exchange:check_type, since 3.13.3 and 3.12.14, PR #11214) answers an
   * unknown exchange type with a channel error 406, before any other check of exchange.declare
   * (3.13.2 and earlier closed the connection with 503 COMMAND_INVALID). Its text says "invalid"
   * for names that are Erlang atoms but no exchange type, of which only the empty name is worth
   * copying.
   */
  static void checkType(String type) {
    if (!Exchange.TYPES.contains(type)) {
      throw Exchange.unknownType(type);
    }
  }

  /** Whether the exchange keeps files of its own, in a directory named at declaration. */
  static boolean needsDirectory(ExchangeSpec spec) {
    return spec.type().equals("x-delayed-message") || ExchangeDeduplication.wanted(spec);
  }

  /** A redeclaration must match the exchange as declared (406 naming the first difference). */
  static void assertEquivalent(ExchangeSpec current, ExchangeSpec received) {
    field(current, "type", current.type(), received.type());
    field(current, "durable", current.durable(), received.durable());
    field(current, "auto_delete", current.autoDelete(), received.autoDelete());
    field(current, "internal", current.internal(), received.internal());
    // RabbitMQ compares only this argument of an exchange
    Object a = current.arguments().get("alternate-exchange");
    Object b = received.arguments().get("alternate-exchange");
    if (!ArgumentTypes.equivalent(a, b)) {
      throw ArgumentTypes.inequivalent("alternate-exchange", current.resource(), a, b);
    }
  }

  private static void field(ExchangeSpec x, String key, Object current, Object received) {
    if (!current.equals(received)) {
      throw AmqpException.channelError(
          ReplyCode.PRECONDITION_FAILED,
          "inequivalent arg '%s' for %s: received '%s' but current is '%s'",
          key,
          x.resource(),
          received,
          current);
    }
  }

  /**
   * Creates an exchange; a delayed message exchange gets its store of held messages in
   * {@code dirName} (opened, and recovered if durable: blocks on disk), a deduplicating durable one
   * its seen-id log next to it.
   */
  Exchange create(ExchangeSpec spec, String dirName) {
    Exchange x;
    if (spec.type().equals("x-delayed-message")) {
      DelayedMessageExchange.delayedType(spec);
      Path dir = (spec.durable() ? durableDir.resolveSibling("exchanges") : transientDir.resolve("exchanges"))
          .resolve(dirName);
      DelayedMessages held;
      try {
        held = DelayedMessages.open(vhost, spec.name(), spec.durable(), dir, storeOptions.segmentCapacity(), alloc, timers);
      } catch (IOException e) {
        throw new UncheckedIOException("could not open the delayed messages of " + spec.resource(), e);
      }
      DelayedMessageExchange d = new DelayedMessageExchange(spec, held);
      held.start(m -> due.accept(d, m));
      x = d;
    } else {
      x = Exchange.create(spec);
    }
    x.setAlternateExchange(alternateOf(spec));
    if (ExchangeDeduplication.wanted(spec)) {
      Path seen = spec.durable() ? durableDir.resolveSibling("exchanges").resolve(dirName + ".dedup") : null;
      try {
        if (seen != null) {
          Files.createDirectories(seen.getParent());
        }
        x.setDeduplication(ExchangeDeduplication.open(spec.arguments(), seen, blocking));
      } catch (IOException e) {
        throw new UncheckedIOException("could not open the deduplication log of " + spec.resource(), e);
      }
    }
    return x;
  }

  /** The alternate exchange of {@code spec}: its argument, or the policies' (RabbitMQ's AE). */
  @Nullable String alternateOf(ExchangeSpec spec) {
    return policies.resolve(vhost, Policy.Kind.EXCHANGE, spec.name(), spec.arguments()).alternateExchange();
  }

  /** The exchange was deleted: its files go, in the background. */
  void deleted(Exchange x) {
    if (x instanceof DelayedMessageExchange d) {
      blocking.execute(() -> d.held().delete());
    }
    ExchangeDeduplication dedup = x.deduplication();
    if (dedup != null) {
      blocking.execute(() -> {
        try {
          dedup.delete();
        } catch (IOException e) {
          log.warn("could not remove the deduplication log of {}: {}", x.spec().resource(), e.toString());
        }
      });
    }
  }

  /** Shutdown: the exchange's files are closed, durable data kept. */
  void closed(Exchange x) {
    if (x instanceof DelayedMessageExchange d) {
      d.held().close();
    }
    ExchangeDeduplication dedup = x.deduplication();
    if (dedup != null) {
      try {
        dedup.close();
      } catch (IOException e) {
        log.warn("could not close the deduplication log of {}: {}", x.spec().resource(), e.toString());
      }
    }
  }

  /** The vhost is being deleted: the held messages of a delayed exchange go now. */
  void dropped(Exchange x) {
    if (x instanceof DelayedMessageExchange d) {
      d.held().delete();
    }
  }
}
