package io.uctrust.diff;

import io.uctrust.desired.Kind;
import io.uctrust.diff.DesiredDiff.Change;
import io.uctrust.diff.DesiredDiff.DocumentChange;
import io.uctrust.diff.DesiredDiff.FieldChange;
import io.uctrust.diff.DesiredDiff.FileChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two {@link DesiredSnapshot}s, a pure function: documents are matched by kind, cluster and
 * {@code metadata.name} wherever they are written (moving a document to another file is no change), fields by
 * path, list items by their {@code name}, {@code file}, {@code node} or {@code host} where every item has a
 * distinct one (else by position), and lists of plain values as multisets (a reordering is one change). A file a
 * value names counts by its content: the same path with other bytes is a change.
 *
 * <p>Not for: deciding what a cluster needs; the planner does that against the cluster.
 */
public final class DesiredStateDiffer {

  /** Keys that identify list items, in order of preference. */
  private static final List<String> ITEM_KEYS = List.of("name", "file", "node", "host");

  /** Fields that identify the document; an added or removed document does not list them. */
  private static final Set<String> IDENTITY = Set.of("apiVersion", "kind", "metadata.name", "metadata.cluster");

  public DesiredDiff diff(DesiredSnapshot before, DesiredSnapshot after) {
    Map<String, SnapshotDocument> old = index(before.documents());
    Map<String, SnapshotDocument> now = index(after.documents());
    List<DocumentChange> changes = new ArrayList<>();
    for (Map.Entry<String, SnapshotDocument> entry : now.entrySet()) {
      SnapshotDocument a = entry.getValue();
      SnapshotDocument b = old.get(entry.getKey());
      if (b != null) {
        List<FieldChange> fields = new Comparison(b, a).fields();
        if (!fields.isEmpty()) {
          changes.add(change(Change.CHANGED, a, fields));
        }
      } else if (!before.unreadableFiles().contains(a.file())) {
        changes.add(change(Change.ADDED, a, new Comparison(null, a).fields()));
      }
    }
    for (Map.Entry<String, SnapshotDocument> entry : old.entrySet()) {
      SnapshotDocument b = entry.getValue();
      if (!now.containsKey(entry.getKey()) && !after.unreadableFiles().contains(b.file())) {
        changes.add(change(Change.REMOVED, b, new Comparison(b, null).fields()));
      }
    }
    changes.sort(Comparator.comparingInt((DocumentChange c) -> kindRank(c.kind()))
        .thenComparing(DocumentChange::kind)
        .thenComparing(c -> c.cluster() == null ? "" : c.cluster())
        .thenComparing(DocumentChange::name));
    Set<String> clusters = new TreeSet<>();
    before.documents().forEach(d -> clusters.add(d.cluster() == null ? "" : d.cluster()));
    after.documents().forEach(d -> clusters.add(d.cluster() == null ? "" : d.cluster()));
    return new DesiredDiff(changes, files(before, after), List.copyOf(clusters));
  }

  private static DocumentChange change(Change change, SnapshotDocument d, List<FieldChange> fields) {
    return new DocumentChange(change, d.kind(), d.cluster(), d.name(), d.file(), d.line(), fields);
  }

  /** Documents by identity; a second document with the same identity (which validation rejects) gets a suffix. */
  private static Map<String, SnapshotDocument> index(List<SnapshotDocument> documents) {
    Map<String, SnapshotDocument> index = new LinkedHashMap<>();
    for (SnapshotDocument d : documents) {
      String key = d.kind() + "\u0000" + d.cluster() + "\u0000" + d.name();
      String unique = key;
      for (int n = 2; index.containsKey(unique); n++) {
        unique = key + "\u0000" + n;
      }
      index.put(unique, d);
    }
    return index;
  }

  private static int kindRank(String kind) {
    for (Kind k : Kind.values()) {
      if (k.yaml().equals(kind)) {
        return k.ordinal();
      }
    }
    return Kind.values().length;
  }

  private static List<FileChange> files(DesiredSnapshot before, DesiredSnapshot after) {
    Set<String> paths = new TreeSet<>(before.offlineCaFiles().keySet());
    paths.addAll(after.offlineCaFiles().keySet());
    List<FileChange> changes = new ArrayList<>();
    for (String path : paths) {
      FileSummary b = before.offlineCaFiles().get(path);
      FileSummary a = after.offlineCaFiles().get(path);
      if (b == null) {
        changes.add(new FileChange(Change.ADDED, path, null, a));
      } else if (a == null) {
        changes.add(new FileChange(Change.REMOVED, path, b, null));
      } else if (!a.sha256().equals(b.sha256())) {
        changes.add(new FileChange(Change.CHANGED, path, b, a));
      }
    }
    return changes;
  }

  /** The field changes between two versions of one document (either may be null: added or removed). */
  private static final class Comparison {
    private final SnapshotDocument before;
    private final SnapshotDocument after;
    private final List<FieldChange> fields = new ArrayList<>();

    Comparison(SnapshotDocument before, SnapshotDocument after) {
      this.before = before;
      this.after = after;
    }

    List<FieldChange> fields() {
      if (before != null && after != null) {
        compare(before.tree(), after.tree(), "", "", "");
      } else {
        Change change = after != null ? Change.ADDED : Change.REMOVED;
        SnapshotDocument document = after != null ? after : before;
        document.tree().forEach((key, value) -> {
          if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> {
              String path = join(key, (String) k);
              if (!IDENTITY.contains(path)) {
                whole(change, v, path, path);
              }
            });
          } else if (!IDENTITY.contains(key)) {
            whole(change, value, key, key);
          }
        });
      }
      return fields;
    }

    /** Compares two values at display path {@code path}, raw paths {@code rawB} (before) and {@code rawA}. */
    private void compare(Object b, Object a, String path, String rawB, String rawA) {
      if (Objects.equals(b, a) && !namesFiles(rawB, rawA)) {
        return;
      }
      if (b instanceof Map<?, ?> mb && a instanceof Map<?, ?> ma) {
        for (Map.Entry<?, ?> e : ma.entrySet()) {
          String key = (String) e.getKey();
          if (mb.containsKey(key)) {
            compare(mb.get(key), e.getValue(), join(path, key), join(rawB, key), join(rawA, key));
          } else {
            whole(Change.ADDED, e.getValue(), join(path, key), join(rawA, key));
          }
        }
        for (Map.Entry<?, ?> e : mb.entrySet()) {
          String key = (String) e.getKey();
          if (!ma.containsKey(key)) {
            whole(Change.REMOVED, e.getValue(), join(path, key), join(rawB, key));
          }
        }
      } else if (b instanceof List<?> lb && a instanceof List<?> la) {
        compareLists(lb, la, path, rawB, rawA);
      } else if (Objects.equals(b, a)) {
        FileSummary fb = file(before, rawB);
        FileSummary fa = file(after, rawA);
        if (fb != null && fa != null && !fb.sha256().equals(fa.sha256())) {
          fields.add(new FieldChange(Change.CHANGED, path, b, a, fb, fa, line(after, rawA)));
        }
      } else {
        fields.add(new FieldChange(Change.CHANGED, path, b, a, file(before, rawB), file(after, rawA), line(after, rawA)));
      }
    }

    private void compareLists(List<?> lb, List<?> la, String path, String rawB, String rawA) {
      String key = itemKey(lb, la);
      if (key != null) {
        Map<Object, Integer> positions = new HashMap<>();
        for (int j = 0; j < lb.size(); j++) {
          positions.put(((Map<?, ?>) lb.get(j)).get(key), j);
        }
        for (int i = 0; i < la.size(); i++) {
          Object id = ((Map<?, ?>) la.get(i)).get(key);
          Integer j = positions.remove(id);
          String itemPath = path + "[" + key + "=" + id + "]";
          if (j != null) {
            compare(lb.get(j), la.get(i), itemPath, rawB + "[" + j + "]", rawA + "[" + i + "]");
          } else {
            whole(Change.ADDED, la.get(i), itemPath, rawA + "[" + i + "]");
          }
        }
        positions.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e ->
            whole(Change.REMOVED, lb.get(e.getValue()), path + "[" + key + "=" + e.getKey() + "]",
                rawB + "[" + e.getValue() + "]"));
      } else if (plain(lb) && plain(la)) {
        comparePlainLists(lb, la, path, rawB, rawA);
      } else {
        for (int i = 0; i < Math.max(lb.size(), la.size()); i++) {
          String itemPath = path + "[" + i + "]";
          if (i >= la.size()) {
            whole(Change.REMOVED, lb.get(i), itemPath, rawB + "[" + i + "]");
          } else if (i >= lb.size()) {
            whole(Change.ADDED, la.get(i), itemPath, rawA + "[" + i + "]");
          } else {
            compare(lb.get(i), la.get(i), itemPath, rawB + "[" + i + "]", rawA + "[" + i + "]");
          }
        }
      }
    }

    /**
     * Lists of plain values (node names, SANs, phone names) as multisets: each value added or removed is one
     * change at its position; the same values in another order are one change of the whole list.
     */
    private void comparePlainLists(List<?> lb, List<?> la, String path, String rawB, String rawA) {
      Map<Object, List<Integer>> unmatched = new LinkedHashMap<>();
      for (int j = 0; j < lb.size(); j++) {
        unmatched.computeIfAbsent(lb.get(j), v -> new ArrayList<>()).add(j);
      }
      int changesBefore = fields.size();
      List<int[]> pairs = new ArrayList<>();
      for (int i = 0; i < la.size(); i++) {
        List<Integer> js = unmatched.get(la.get(i));
        if (js != null && !js.isEmpty()) {
          pairs.add(new int[] {js.remove(0), i});
        } else {
          whole(Change.ADDED, la.get(i), path + "[" + i + "]", rawA + "[" + i + "]");
        }
      }
      Set<Integer> removed = new TreeSet<>();
      unmatched.values().forEach(removed::addAll);
      for (int j : removed) {
        whole(Change.REMOVED, lb.get(j), path + "[" + j + "]", rawB + "[" + j + "]");
      }
      if (fields.size() == changesBefore && !lb.equals(la)) {
        fields.add(new FieldChange(Change.CHANGED, path, lb, la, null, null, line(after, rawA)));
      }
      for (int[] pair : pairs) {
        compare(lb.get(pair[0]), la.get(pair[1]), path + "[" + pair[1] + "]", rawB + "[" + pair[0] + "]",
            rawA + "[" + pair[1] + "]");
      }
    }

    /**
     * Everything below a value that only one side has, one change per field, so that a new trust store lists
     * its certificates with their subjects. Lists of plain values are one change, unless they name files.
     */
    private void whole(Change change, Object value, String path, String raw) {
      SnapshotDocument side = change == Change.ADDED ? after : before;
      if (value instanceof Map<?, ?> map && !map.isEmpty()) {
        map.forEach((k, v) -> whole(change, v, join(path, (String) k), join(raw, (String) k)));
      } else if (value instanceof List<?> list && !list.isEmpty() && (!plain(list) || namesFiles(side, raw))) {
        String key = itemKey(list, list);
        for (int i = 0; i < list.size(); i++) {
          String itemPath = key == null ? path + "[" + i + "]" : path + "[" + key + "=" + ((Map<?, ?>) list.get(i)).get(key) + "]";
          whole(change, list.get(i), itemPath, raw + "[" + i + "]");
        }
      } else {
        FileSummary summary = file(side, raw);
        fields.add(change == Change.ADDED
            ? new FieldChange(change, path, null, value, null, summary, line(side, raw))
            : new FieldChange(change, path, value, null, summary, null, line(side, raw)));
      }
    }

    /** Whether a file reference lies at or below either raw path: equal text there may still hide new content. */
    private boolean namesFiles(String rawB, String rawA) {
      return namesFiles(before, rawB) || namesFiles(after, rawA);
    }

    private static boolean namesFiles(SnapshotDocument document, String raw) {
      if (document == null) {
        return false;
      }
      for (String path : document.files().keySet()) {
        if (raw.isEmpty() || path.equals(raw) || path.startsWith(raw)
            && (path.charAt(raw.length()) == '.' || path.charAt(raw.length()) == '[')) {
          return true;
        }
      }
      return false;
    }

    private static FileSummary file(SnapshotDocument document, String raw) {
      SnapshotDocument.ReferencedFile file = document == null ? null : document.files().get(raw);
      return file == null ? null : file.summary();
    }

    private static int line(SnapshotDocument document, String raw) {
      Integer line = document.lines().get(raw);
      return line == null ? document.line() : line;
    }
  }

  /** The key that identifies every item of both lists (all mappings with distinct text values), or null. */
  private static String itemKey(List<?> lb, List<?> la) {
    for (String key : ITEM_KEYS) {
      if (identifies(key, lb) && identifies(key, la) && !(lb.isEmpty() && la.isEmpty())) {
        return key;
      }
    }
    return null;
  }

  private static boolean identifies(String key, List<?> list) {
    Set<Object> seen = new HashSet<>();
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> map) || !(map.get(key) instanceof String id) || !seen.add(id)) {
        return false;
      }
    }
    return true;
  }

  private static boolean plain(List<?> list) {
    return list.stream().noneMatch(v -> v instanceof Map || v instanceof List);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
