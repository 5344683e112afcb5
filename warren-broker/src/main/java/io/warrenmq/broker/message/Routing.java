package io.warrenmq.broker.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The routing keys RabbitMQ keeps with a message beside its properties (the message container
 * annotations {@code rk} and {@code bcc} of RabbitMQ 3.13, mc.erl): every key it routes with (the
 * publish's key, then its CC keys, then its BCC keys; a dead letter's are the dead-letter routing
 * key or those it had) and the BCC keys among them, which no consumer sees but a later
 * dead-lettering without a dead-letter routing key routes with again.
 *
 * @param keys the routing keys, at least one: the first is the key a delivery shows
 * @param bcc the BCC keys among {@code keys}
 */
public record Routing(List<String> keys, List<String> bcc) {
  public Routing {
    keys = List.copyOf(keys);
    bcc = List.copyOf(bcc);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a message routes with at least one key");
    }
  }

  /**
   * The keys an {@code x-death} entry records: {@code keys} without the BCC ones, each BCC key
   * taking away one occurrence (RabbitMQ mc:record_death, {@code RKeys0 -- BccKeys}).
   */
  public List<String> withoutBcc() {
    if (bcc.isEmpty()) {
      return keys;
    }
    List<String> out = new ArrayList<>(keys);
    for (String b : bcc) {
      out.remove(b);
    }
    return out;
  }
}
