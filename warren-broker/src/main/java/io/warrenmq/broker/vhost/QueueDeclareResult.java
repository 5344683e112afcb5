package io.warrenmq.broker.vhost;

import io.warrenmq.broker.queue.Queue;

/** The answer to queue.declare: the queue (perhaps server-named) and its counts. */
public record QueueDeclareResult(Queue queue, long messageCount, int consumerCount, boolean created) {}
