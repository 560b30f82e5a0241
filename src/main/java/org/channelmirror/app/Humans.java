package org.channelmirror.app;

/** Numbers as people read them. */
public final class Humans {
  private Humans() {}

  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  /** A time left as people say it: "45 s", "4 min", "2 h 05 min". */
  public static String duration(long seconds) {
    if (seconds < 60) {
      return Math.max(0, seconds) + " s";
    }
    long minutes = (seconds + 30) / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    return String.format("%d h %02d min", minutes / 60, minutes % 60);
  }
}
