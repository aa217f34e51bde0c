package dev.otelanalytics.internal;

import java.util.function.Supplier;

/** A supplier that computes its value once, on first use, on whichever thread asks first. Thread-safe. */
public final class Memoized<T> implements Supplier<T> {
  private final Supplier<T> delegate;
  private volatile T value;

  private Memoized(Supplier<T> delegate) {
    this.delegate = delegate;
  }

  public static <T> Memoized<T> of(Supplier<T> delegate) {
    return new Memoized<>(delegate);
  }

  /** The value when it was already computed, else null; never computes it. */
  public T peek() {
    return value;
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = delegate.get();
          value = v;
        }
      }
    }
    return v;
  }
}
