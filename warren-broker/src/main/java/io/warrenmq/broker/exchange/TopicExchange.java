package io.warrenmq.broker.exchange;

import io.warrenmq.broker.message.Message;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes by pattern (AMQP 0-9-1 3.1.3.3): binding keys are dot-separated words where {@code *}
 * matches exactly one word and {@code #} zero or more. Bindings live in a trie of words, so routing
 * costs the number of words in the key, not the number of bindings. As in RabbitMQ an empty key has
 * zero words and empty words are words ("a..b" has three).
 */
public final class TopicExchange extends Exchange {
  private final Node root = new Node();
  private final Set<Binding> all = ConcurrentHashMap.newKeySet();

  TopicExchange(ExchangeSpec spec) {
    super(spec);
  }

  @Override
  public void route(Message message, String routingKey, RouteCollector out) {
    match(root, words(routingKey), 0, out);
  }

  /** Matches a routing key against the bindings; for tests and benchmarks. */
  void match(String routingKey, RouteCollector out) {
    match(root, words(routingKey), 0, out);
  }

  private static void match(Node node, String[] words, int i, RouteCollector out) {
    Node hash = node.children.get("#");
    if (hash != null) {
      for (int j = i; j <= words.length; j++) {
        match(hash, words, j, out);
      }
    }
    if (i == words.length) {
      for (Binding b : node.bindings) {
        out.add(b.destination());
      }
      return;
    }
    Node exact = node.children.get(words[i]);
    if (exact != null) {
      match(exact, words, i + 1, out);
    }
    Node star = node.children.get("*");
    if (star != null && star != exact) {
      match(star, words, i + 1, out);
    }
  }

  static String[] words(String key) {
    return key.isEmpty() ? new String[0] : key.split("\\.", -1);
  }

  @Override
  public synchronized boolean bind(Binding binding) {
    if (all.contains(binding)) {
      return false;
    }
    Node node = root;
    for (String w : words(binding.routingKey())) {
      node = node.children.computeIfAbsent(w, k -> new Node());
    }
    node.bindings = BindingArrays.with(node.bindings, binding);
    all.add(binding);
    return true;
  }

  @Override
  public synchronized boolean unbind(Binding binding) {
    if (!all.remove(binding)) {
      return false;
    }
    String[] words = words(binding.routingKey());
    Node[] path = new Node[words.length + 1];
    path[0] = root;
    for (int i = 0; i < words.length; i++) {
      path[i + 1] = path[i].children.get(words[i]);
    }
    Node leaf = path[words.length];
    leaf.bindings = BindingArrays.without(leaf.bindings, binding);
    for (int i = words.length; i > 0; i--) {
      Node n = path[i];
      if (n.bindings.length == 0 && n.children.isEmpty()) {
        path[i - 1].children.remove(words[i - 1], n);
      } else {
        break;
      }
    }
    return true;
  }

  @Override
  public List<Binding> bindings() {
    return List.copyOf(all);
  }

  @Override
  public boolean hasBindings() {
    return !all.isEmpty();
  }

  private static final class Node {
    final Map<String, Node> children = new ConcurrentHashMap<>();
    volatile Binding[] bindings = BindingArrays.EMPTY;
  }
}
