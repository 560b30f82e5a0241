package org.channelmirror.catalog;

import java.util.List;

/** Child process for {@link CatalogDurabilityIT}: commits batches and says so after each commit. */
public final class CommitLoop {
  static final long BOT = 1L;
  private CommitLoop() {}

  public static void main(String[] args) {
    try (Catalog catalog = Catalog.open(args[0], "", "", 2)) {
      for (long offset = catalog.nextOffset(BOT) + 1; ; offset++) {
        PostVersion v = new PostVersion(-100L, offset, 0, "h" + offset, 1, null, offset, "{}", List.of());
        catalog.commit(new IntakeBatch(List.of(v), List.of(), List.of(), List.of(), BOT, offset));
        System.out.println("committed " + offset);
        System.out.flush();
      }
    }
  }
}
