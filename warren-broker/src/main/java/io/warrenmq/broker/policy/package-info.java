/**
 * Policies and operator policies as RabbitMQ has them: a name, a regular expression over queue or
 * exchange names, what they apply to, a priority and a definition of keys ({@code message-ttl},
 * {@code max-length}, {@code dead-letter-exchange}, ...). For each queue and exchange the matching
 * policy of highest priority and the matching operator policy of highest priority are merged, and
 * the result is combined with the entity's own x-arguments by RabbitMQ's per-key rules
 * ({@link io.warrenmq.broker.policy.EffectiveArguments}). Depends on warren-amqp's types only.
 */
@NullMarked
package io.warrenmq.broker.policy;

import org.jspecify.annotations.NullMarked;
