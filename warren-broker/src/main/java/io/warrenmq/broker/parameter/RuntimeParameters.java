package io.warrenmq.broker.parameter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The stored runtime parameters, per vhost and component, and the global ones, by name. A plain
 * registry: validation, persistence and what a parameter does are the broker's.
 *
 * <p>Threading: thread-safe; reads take no lock.
 */
public final class RuntimeParameters {
  /** A parameter of one vhost and component; {@code value} is a JSON value. */
  public record Parameter(String vhost, String component, String name, @Nullable Object value) {}

  /** A global parameter. */
  public record Global(String name, @Nullable Object value) {}

  private static final Comparator<Parameter> ORDER = Comparator.comparing(Parameter::vhost)
      .thenComparing(Parameter::component).thenComparing(Parameter::name);

  private final Map<List<String>, Parameter> parameters = new ConcurrentHashMap<>();
  private final Map<String, Global> globals = new ConcurrentHashMap<>();

  public void put(Parameter p) {
    parameters.put(List.of(p.vhost(), p.component(), p.name()), p);
  }

  public @Nullable Parameter remove(String vhost, String component, String name) {
    return parameters.remove(List.of(vhost, component, name));
  }

  public @Nullable Parameter get(String vhost, String component, String name) {
    return parameters.get(List.of(vhost, component, name));
  }

  /** Every parameter, sorted by vhost, component and name. */
  public List<Parameter> list() {
    List<Parameter> l = new ArrayList<>(parameters.values());
    l.sort(ORDER);
    return l;
  }

  /** The vhost was deleted: its parameters go. */
  public void clearVhost(String vhost) {
    parameters.keySet().removeIf(k -> k.getFirst().equals(vhost));
  }

  public void putGlobal(Global g) {
    globals.put(g.name(), g);
  }

  public @Nullable Global removeGlobal(String name) {
    return globals.remove(name);
  }

  public @Nullable Global global(String name) {
    return globals.get(name);
  }

  /** The global parameters, by name. */
  public List<Global> globals() {
    List<Global> l = new ArrayList<>(globals.values());
    l.sort(Comparator.comparing(Global::name));
    return l;
  }
}
