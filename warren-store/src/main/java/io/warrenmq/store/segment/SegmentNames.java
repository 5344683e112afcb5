package io.warrenmq.store.segment;

/**
 * The names of segment files: {@code msgs.NNNNNNNNNN}, the segment id in ten decimal digits (as
 * LavinMQ names its segments).
 *
 * <p>Static helpers only; thread-safe (stateless); no buffers.
 */
public final class SegmentNames {
  private static final String PREFIX = "msgs.";
  private static final int ID_DIGITS = 10;

  private SegmentNames() {}

  /** {@code msgs.NNNNNNNNNN}: the file name of a segment. */
  public static String fileName(long id) {
    if (id < 0 || id > SegmentPosition.MAX_SEGMENT_ID) {
      throw new IllegalArgumentException("segment id out of range: " + id);
    }
    String digits = Long.toString(id);
    return PREFIX + "0".repeat(ID_DIGITS - digits.length()) + digits;
  }

  /**
   * The segment id in a file name, or {@code -1} if the name is not a segment's. An id above
   * {@link SegmentPosition#MAX_SEGMENT_ID} is returned as is: recovery refuses it.
   */
  public static long parseId(String fileName) {
    if (fileName.length() != PREFIX.length() + ID_DIGITS || !fileName.startsWith(PREFIX)) {
      return -1;
    }
    long id = 0;
    for (int i = PREFIX.length(); i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      id = id * 10 + (c - '0');
    }
    return id;
  }
}
