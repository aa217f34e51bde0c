package dev.otelanalytics.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An event's properties: an unmodifiable map kept as two arrays in insertion order. An event
 * has a few dozen properties at most and is written out far more often than looked up in, so a
 * linear lookup costs nothing that matters, and the copy each event makes of its properties is
 * two small arrays instead of a hash table of linked entries (a quarter of the bytes the worker
 * allocated per event).
 */
final class PropertyMap extends AbstractMap<String, Object> {
  private final String[] keys;
  private final Object[] values;

  /** A copy of {@code properties}, lists copied as unmodifiable lists. */
  PropertyMap(Map<String, Object> properties) {
    int size = properties.size();
    String[] k = new String[size];
    Object[] v = new Object[size];
    int i = 0;
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      if (i == size) {
        break;   // a map that grew while it was copied: the first size entries
      }
      Object value = e.getValue();
      k[i] = e.getKey();
      v[i] = value instanceof List ? Collections.unmodifiableList(new ArrayList<>((List<?>) value)) : value;
      i++;
    }
    this.keys = i == size ? k : java.util.Arrays.copyOf(k, i);
    this.values = i == size ? v : java.util.Arrays.copyOf(v, i);
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  private int indexOf(Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (Objects.equals(keys[i], key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<Map.Entry<String, Object>>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<Map.Entry<String, Object>>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Object> entry = new AbstractMap.SimpleImmutableEntry<>(keys[next], values[next]);
            next++;
            return entry;
          }
        };
      }

      @Override
      public int size() {
        return keys.length;
      }
    };
  }
}
