package ai.kubernaut.gateway.audit.spool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The segment files of a spool, oldest first and the one being written last, with their total size
 * and which of them had bytes skipped as unreadable. Not thread-safe: the spool calls it under its
 * lock.
 */
final class SegmentTable {

  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final Set<Long> damaged = new HashSet<>();
  private Segment active;
  private long totalBytes;

  /** Takes the segments an earlier run left; their bytes count from now on. */
  void recovered(Map<Long, Segment> found) {
    segments.putAll(found);
    totalBytes = segments.values().stream().mapToLong(segment -> segment.size).sum();
  }

  /** Adds a new, empty segment that appends go to from now on. */
  void open(Segment segment) {
    segments.put(segment.firstSeq, segment);
    active = segment;
  }

  Segment active() {
    return active;
  }

  Segment get(long firstSeq) {
    return segments.get(firstSeq);
  }

  void grew(long bytes) {
    totalBytes += bytes;
  }

  long bytes() {
    return totalBytes;
  }

  /** Notes that some bytes of the segment were declared unreadable and skipped. */
  void damaged(long segment) {
    damaged.add(segment);
  }

  SpoolReader.Slice slice(long segment) {
    Segment s = segments.get(segment);
    Long next = segments.higherKey(segment);
    return new SpoolReader.Slice(
        s,
        s.readableEnd,
        s.readableLastSeq,
        s != active,
        next == null ? OptionalLong.empty() : OptionalLong.of(next));
  }

  /** Moves a cursor that stands at the end of a sealed segment to the start of the next one. */
  Position normalised(Position position) {
    Position p = position;
    while (true) {
      Segment segment = segments.get(p.segment());
      Long next = segments.higherKey(p.segment());
      if (segment == active || next == null || p.offset() < segment.readableEnd) {
        return p;
      }
      p = new Position(next, 0);
    }
  }

  /** Takes out the segments before {@code segment}: delivery has passed them. */
  PassedSegments removeBefore(long segment) {
    List<Segment> delivered = new ArrayList<>();
    List<Segment> unreadable = new ArrayList<>();
    while (segments.firstKey() < segment) {
      Segment gone = segments.pollFirstEntry().getValue();
      totalBytes -= gone.size;
      (damaged.remove(gone.firstSeq) ? unreadable : delivered).add(gone);
    }
    return new PassedSegments(delivered, unreadable);
  }
}
