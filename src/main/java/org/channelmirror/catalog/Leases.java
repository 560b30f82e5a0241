package org.channelmirror.catalog;

import static org.channelmirror.catalog.Jdbc.instant;
import static org.channelmirror.catalog.Jdbc.ts;
import static org.channelmirror.catalog.Jdbc.update;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Leases on named work in the catalog, held by one process at a time across every process that
 * shares the catalog. A holder renews its lease while it works; a lease is free again when it is
 * released, when its holder has not renewed it for the lease's time to live, or at once when its
 * holder ran on this host and that process no longer exists (killed: restic judges its stale
 * locks the same way). Obtain it from {@link Catalog#leases()}.
 */
public final class Leases {
  /** This process as a lease holder: a random id, and where it runs. */
  public record Holder(String owner, String host, long pid) {
    /** A new identity for this process. */
    public static Holder ofThisProcess() {
      return new Holder(UUID.randomUUID().toString(), LocalHost.NAME, ProcessHandle.current().pid());
    }

    @Override
    public String toString() {
      return "process " + pid + " on " + host;
    }
  }

  /** Who holds a lease, since when, and when it last renewed it. */
  public record Held(Holder holder, Instant acquiredAt, Instant renewedAt) {}

  private final Jdbc db;

  Leases(Jdbc db) {
    this.db = db;
  }

  /**
   * Takes lease {@code name} for {@code me} unless another live holder has it; returns the other
   * holder when it does. Taking a lease {@code me} already holds renews it.
   */
  public Optional<Held> claim(String name, Holder me, Instant now, Duration ttl) {
    return db.inTransaction(c -> {
      Held current = null;
      try (PreparedStatement ps = c.prepareStatement(
          "select owner, host, pid, acquired_at, renewed_at from leases where name = ? for update")) {
        Jdbc.bind(ps, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new CatalogException("no lease named '" + name + "' in the catalog", null);
          }
          if (rs.getString(1) != null) {
            current = new Held(new Holder(rs.getString(1), rs.getString(2), rs.getLong(3)), instant(rs, 4),
                instant(rs, 5));
          }
        }
      }
      if (current != null && !current.holder().owner().equals(me.owner()) && alive(current, me, now, ttl)) {
        return Optional.of(current);
      }
      Instant since = current != null && current.holder().owner().equals(me.owner()) ? current.acquiredAt() : now;
      update(c, "update leases set owner = ?, host = ?, pid = ?, acquired_at = ?, renewed_at = ? where name = ?",
          me.owner(), me.host(), me.pid(), ts(since), ts(now), name);
      return Optional.empty();
    });
  }

  /** The holder's heartbeat; false when the lease is no longer {@code me}'s (it expired and was taken). */
  public boolean renew(String name, Holder me, Instant now) {
    return db.inTransaction(c -> update(c, "update leases set renewed_at = ? where name = ? and owner = ?",
        ts(now), name, me.owner()) == 1);
  }

  /** Gives the lease up, if {@code me} still holds it. */
  public void release(String name, Holder me) {
    db.inTransaction(c -> update(c, "update leases set owner = null, host = null, pid = null, acquired_at = null,"
        + " renewed_at = null where name = ? and owner = ?", name, me.owner()));
  }

  /** Whether {@code held} still counts: renewed within {@code ttl}, and its process alive if it ran on this host. */
  static boolean alive(Held held, Holder me, Instant now, Duration ttl) {
    if (held.renewedAt() == null || held.renewedAt().plus(ttl).isBefore(now)) {
      return false;
    }
    if (held.holder().host().equals(me.host())) {
      return running(held.holder().pid());
    }
    return true;
  }

  /**
   * Whether process {@code pid} on this host still runs. A killed process whose parent has not
   * reaped it yet is a zombie, which the JDK reports alive: Linux's /proc tells them apart.
   */
  static boolean running(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
      char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return true; // no /proc (not Linux), or it just ended: the JDK's answer stands
    }
  }

  /**
   * This host's name, looked up once: the kernel's (what {@code uname -n} prints, the same for
   * every process here whatever its environment), else the JDK's.
   */
  private static final class LocalHost {
    static final String NAME = lookup();

    private static String lookup() {
      try {
        String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        if (!kernel.isEmpty()) {
          return kernel;
        }
      } catch (IOException | RuntimeException e) {
        // not Linux: fall through
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "unknown-host";
      }
    }
  }
}
