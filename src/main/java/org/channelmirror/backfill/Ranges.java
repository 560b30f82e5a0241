package org.channelmirror.backfill;

import java.util.List;

/** Message ids written compactly: "1-4, 6, 9-12". */
public final class Ranges {
  private Ranges() {}

  /** {@code ids} in ascending order as comma-separated ranges. */
  public static String of(List<Long> ids) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < ids.size()) {
      int j = i;
      while (j + 1 < ids.size() && ids.get(j + 1) == ids.get(j) + 1) {
        j++;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(ids.get(i));
      if (j > i) {
        sb.append('-').append(ids.get(j));
      }
      i = j + 1;
    }
    return sb.toString();
  }
}
