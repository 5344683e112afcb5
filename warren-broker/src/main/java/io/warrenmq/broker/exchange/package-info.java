/**
 * Exchanges (direct, fanout, topic, headers; the default exchange is a direct exchange with implicit bindings) and their bindings to queues and to other exchanges. Routing is lock-free for readers: bindings change under the exchange's lock and are published through volatile copy-on-write structures. Depends on {@code broker.queue} and {@code broker.message}.
 */
@NullMarked
package io.warrenmq.broker.exchange;

import org.jspecify.annotations.NullMarked;
