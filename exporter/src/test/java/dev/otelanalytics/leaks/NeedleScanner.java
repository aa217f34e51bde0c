package dev.otelanalytics.leaks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds many needles in large outputs in one pass (Aho-Corasick), case-insensitively and at the
 * byte level: needles and texts are both taken as UTF-8 bytes, one char per byte (ISO-8859-1),
 * and lower-cased char by char. So a needle is found in any output as it was written, whatever
 * the output's encoding of non-ASCII text, as long as the bytes are the same.
 *
 * <p>Each needle carries an owner (the index of the fuzz case it belongs to).
 */
final class NeedleScanner {
  /** One occurrence: the owner of the needle found, the needle, and where it ended in the text. */
  record Hit(int owner, String needle, int end) {}

  private final Map<Long, Integer> next = new HashMap<>();
  private final List<Integer> fail = new ArrayList<>();
  /** For each node: the needles ending there (index into needles), or empty. */
  private final List<List<Integer>> outputs = new ArrayList<>();
  /** For each node: the nearest node along the fail chain that has outputs (-1 when none). */
  private int[] dictionaryLink;
  private final List<String> needles = new ArrayList<>();
  private final List<Integer> owners = new ArrayList<>();

  NeedleScanner() {
    newNode();
  }

  /** Adds {@code needle} (as written, any case) owned by {@code owner}. */
  void add(String needle, int owner) {
    if (dictionaryLink != null) {
      throw new IllegalStateException("already built");
    }
    String n = normalise(needle);
    if (n.isEmpty()) {
      throw new IllegalArgumentException("empty needle");
    }
    int node = 0;
    for (int i = 0; i < n.length(); i++) {
      long key = key(node, n.charAt(i));
      Integer child = next.get(key);
      if (child == null) {
        child = newNode();
        next.put(key, child);
      }
      node = child;
    }
    outputs.get(node).add(needles.size());
    needles.add(needle);
    owners.add(owner);
  }

  /** Computes the failure links; call once after the last {@link #add}. */
  NeedleScanner build() {
    // Children per node, to walk the trie breadth first.
    Map<Integer, List<long[]>> children = new HashMap<>();
    for (Map.Entry<Long, Integer> e : next.entrySet()) {
      int parent = (int) (e.getKey() >>> 16);
      char c = (char) (e.getKey() & 0xffff);
      children.computeIfAbsent(parent, p -> new ArrayList<>()).add(new long[] {c, e.getValue()});
    }
    dictionaryLink = new int[fail.size()];
    dictionaryLink[0] = -1;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (long[] child : children.getOrDefault(0, List.of())) {
      int node = (int) child[1];
      fail.set(node, 0);
      dictionaryLink[node] = -1;
      queue.add(node);
    }
    while (!queue.isEmpty()) {
      int node = queue.poll();
      for (long[] child : children.getOrDefault(node, List.of())) {
        char c = (char) child[0];
        int target = (int) child[1];
        int f = fail.get(node);
        while (f != 0 && !next.containsKey(key(f, c))) {
          f = fail.get(f);
        }
        Integer via = next.get(key(f, c));
        int failTarget = via != null && via != target ? via : 0;
        fail.set(target, failTarget);
        dictionaryLink[target] = outputs.get(failTarget).isEmpty() ? dictionaryLink[failTarget] : failTarget;
        queue.add(target);
      }
    }
    return this;
  }

  /** Every needle occurrence in {@code bytes}. */
  List<Hit> scan(byte[] bytes) {
    return scan(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  /** Every needle occurrence in {@code text} (a Java string: scanned as its UTF-8 bytes). */
  List<Hit> scanText(String text) {
    return scan(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<Hit> scan(String latin1) {
    List<Hit> hits = new ArrayList<>();
    int node = 0;
    for (int i = 0; i < latin1.length(); i++) {
      char c = Character.toLowerCase(latin1.charAt(i));
      Integer child;
      while ((child = next.get(key(node, c))) == null && node != 0) {
        node = fail.get(node);
      }
      node = child == null ? 0 : child;
      for (int out = outputs.get(node).isEmpty() ? dictionaryLink[node] : node; out > 0; out = dictionaryLink[out]) {
        for (int needle : outputs.get(out)) {
          hits.add(new Hit(owners.get(needle), needles.get(needle), i + 1));
        }
      }
    }
    return hits;
  }

  private int newNode() {
    fail.add(0);
    outputs.add(new ArrayList<>(1));
    return fail.size() - 1;
  }

  private static long key(int node, char c) {
    return ((long) node << 16) | c;
  }

  /** UTF-8 bytes as ISO-8859-1 chars, lower-cased char by char (the same as {@link #scan} does to texts). */
  static String normalise(String text) {
    String latin1 = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder(latin1.length());
    for (int i = 0; i < latin1.length(); i++) {
      out.append(Character.toLowerCase(latin1.charAt(i)));
    }
    return out.toString();
  }
}
