package io.warrenmq.broker.exchange;

import java.util.Arrays;

/** Copy-on-write helpers for the binding arrays exchanges publish to their routing threads. */
final class BindingArrays {
  static final Binding[] EMPTY = new Binding[0];

  private BindingArrays() {}

  static boolean contains(Binding[] array, Binding b) {
    for (Binding x : array) {
      if (x.equals(b)) {
        return true;
      }
    }
    return false;
  }

  /** A copy with {@code b} appended. */
  static Binding[] with(Binding[] array, Binding b) {
    Binding[] out = Arrays.copyOf(array, array.length + 1);
    out[array.length] = b;
    return out;
  }

  /** A copy without {@code b}, or the same array if it was not there. */
  static Binding[] without(Binding[] array, Binding b) {
    for (int i = 0; i < array.length; i++) {
      if (array[i].equals(b)) {
        Binding[] out = new Binding[array.length - 1];
        System.arraycopy(array, 0, out, 0, i);
        System.arraycopy(array, i + 1, out, i, array.length - i - 1);
        return out;
      }
    }
    return array;
  }
}
