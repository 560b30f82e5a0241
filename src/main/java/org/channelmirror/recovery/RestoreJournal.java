package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record of one restore (source channel to target chat): an append-only file of JSON
 * lines, each fsynced before the restore moves on. For every Bot API call the restore writes
 * {@code sending} before the request; {@code uploaded} when the last byte of the last file has
 * been written (only the closing multipart boundary is still to go, so until then the server
 * cannot hold a complete request); and {@code sent} with the new message ids after the answer,
 * or {@code not_sent} when Telegram certainly did not post it (429, 4xx, connection refused).
 * A text message is {@code uploaded} just before its small request goes out.
 *
 * <p>On a rerun, {@code sending} means the request never arrived whole: it is sent again.
 * {@code uploaded} without {@code sent} is the window no journal can close: the crash came after
 * Telegram had the whole request and before its answer reached the disk, and Telegram offers no
 * way to ask whether the post exists. The rerun stops there, before anything later is posted,
 * and asks the owner to look at the target chat and choose {@code --skip-uncertain} (it is
 * there) or {@code --resend-uncertain} (it is not). So nothing is posted twice and the order holds.
 *
 * <p>A torn last line (crash while writing) is ignored. The file is locked while a restore runs,
 * so two restores into the same chat cannot interleave.
 */
final class RestoreJournal implements AutoCloseable {
  enum State { SENDING, UPLOADED, SENT, NOT_SENT }

  record Entry(State state, List<Long> messageIds, String reason) {}

  private final Path file;
  private final RandomAccessFile raf;
  private final FileLock lock;
  private final Clock clock;
  private final Map<String, Entry> entries;

  private RestoreJournal(Path file, RandomAccessFile raf, FileLock lock, Clock clock, Map<String, Entry> entries) {
    this.file = file;
    this.raf = raf;
    this.lock = lock;
    this.clock = clock;
    this.entries = entries;
  }

  static Path path(Path dir, long source, long target) {
    return dir.resolve("restore_" + source + "_to_" + target + ".jsonl");
  }

  /** Opens (creating) and locks the journal for writing. */
  static RestoreJournal open(Path dir, long source, long target, Clock clock) throws IOException {
    Files.createDirectories(dir);
    Path file = path(dir, source, target);
    // writes go through RandomAccessFile, not a FileChannel: an interrupt must never close the journal
    RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
    FileLock lock;
    try {
      lock = raf.getChannel().tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // held by this JVM already
    } catch (IOException | RuntimeException e) {
      raf.close();
      throw e;
    }
    if (lock == null) {
      raf.close();
      throw new IllegalStateException("another restore from channel " + source + " to chat " + target
          + " is running (its journal " + file + " is locked)");
    }
    // read through the locked descriptor: closing any other one of this file (Files.readAllLines)
    // drops the process's lock on Linux (fcntl locks are per process and file), and a second restore
    // into the same chat then ran beside this one, posting everything twice
    Map<String, Entry> entries;
    try {
      byte[] all = new byte[Math.toIntExact(raf.length())];
      raf.readFully(all);
      entries = parse(new String(all, StandardCharsets.UTF_8).lines().toList());
    } catch (IOException | RuntimeException e) {
      raf.close();
      throw e;
    }
    long size = raf.length();
    if (size > 0) {
      raf.seek(size - 1);
      if (raf.read() != '\n') {
        raf.write('\n'); // end a torn line so the next one stands alone
      }
    }
    raf.seek(raf.length());
    return new RestoreJournal(file, raf, lock, clock, entries);
  }

  /** What an existing journal says, without locking it (for --dry-run); empty when there is none. */
  static Map<String, Entry> readOnly(Path dir, long source, long target) {
    Path file = path(dir, source, target);
    return Files.exists(file) ? read(file) : Map.of();
  }

  Path file() {
    return file;
  }

  Optional<Entry> get(String sendId) {
    return Optional.ofNullable(entries.get(sendId));
  }

  void sending(String sendId) {
    append(sendId, State.SENDING, List.of(), null);
  }

  void uploaded(String sendId) {
    append(sendId, State.UPLOADED, List.of(), null);
  }

  void sent(String sendId, List<Long> messageIds) {
    append(sendId, State.SENT, messageIds, null);
  }

  /** The owner says an uncertain send did arrive. */
  void skipped(String sendId, String reason) {
    append(sendId, State.SENT, List.of(), reason);
  }

  void notSent(String sendId, String reason) {
    append(sendId, State.NOT_SENT, List.of(), reason);
  }

  private void append(String sendId, State state, List<Long> messageIds, String reason) {
    ObjectNode n = BucketReader.JSON.createObjectNode();
    n.put("send", sendId);
    n.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    n.put("at", clock.instant().toString());
    if (!messageIds.isEmpty()) {
      ArrayNode ids = n.putArray("message_ids");
      messageIds.forEach(ids::add);
    }
    if (reason != null) {
      n.put("reason", reason);
    }
    byte[] line = (n.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      raf.write(line);
      raf.getFD().sync();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the restore journal " + file + ": " + e.getMessage(), e);
    }
    entries.put(sendId, new Entry(state, List.copyOf(messageIds), reason));
  }

  private static Map<String, Entry> read(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the restore journal " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Entry> parse(List<String> lines) {
    Map<String, Entry> out = new HashMap<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = BucketReader.JSON.readTree(line);
      } catch (IOException e) {
        continue; // a line torn by a crash
      }
      String id = n.path("send").asText(null);
      State state;
      try {
        state = State.valueOf(n.path("state").asText("").toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (id == null) {
        continue;
      }
      List<Long> ids = new java.util.ArrayList<>();
      n.path("message_ids").forEach(v -> ids.add(v.asLong()));
      out.put(id, new Entry(state, List.copyOf(ids), n.path("reason").asText(null)));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    raf.close(); // releases the lock
  }
}
