package org.channelmirror.fakebot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Scripted failures. Method names are case-insensitive; {@code "*"} matches every Bot API method (not file
 * downloads, which are matched by {@code "file"}). Each rule fires for the next {@code times} matching calls.
 */
public final class Faults {
  enum Type { FLOOD, SERVER_ERROR, UNAVAILABLE, DROP }

  record Failure(Type type, int value) {}

  private static final class Rule {
    final Type type;
    final String method;
    final int value;
    final Duration delay;
    int left;

    Rule(Type type, String method, int value, Duration delay, int times) {
      this.type = type;
      this.method = method.toLowerCase(Locale.ROOT);
      this.value = value;
      this.delay = delay;
      this.left = times;
    }

    boolean matches(String m) {
      return method.equals(m) || (method.equals("*") && !m.equals("file"));
    }
  }

  private final Runnable expireLinks;
  private final List<Rule> failures = new ArrayList<>();
  private final List<Rule> delays = new ArrayList<>();
  private int truncations;
  /** Ranged downloads still answered with 206 before Range is ignored (0: every one); negative: Range is honoured. */
  private int rangesBeforeIgnoring = -1;
  private boolean omitContentRange;
  private boolean omitFileSizes;
  private long fileSizeError;
  private LongPredicate rangeMatcher;
  private Duration rangeDelay;
  private long throttleBps;
  private final Set<String> rejectedFiles = new HashSet<>();

  Faults(Runnable expireLinks) {
    this.expireLinks = expireLinks;
  }

  /** Next {@code times} calls answer 429 with Retry-After and parameters.retry_after. */
  public synchronized void floodWait(String method, int retryAfterSeconds, int times) {
    failures.add(new Rule(Type.FLOOD, method, retryAfterSeconds, null, times));
  }

  /** Next {@code times} calls answer {@code status}; 502 comes as nginx's HTML page, others as the JSON envelope. */
  public synchronized void serverError(String method, int status, int times) {
    failures.add(new Rule(Type.SERVER_ERROR, method, status, null, times));
  }

  /**
   * Next {@code times} calls answer 503 with a Retry-After header, as a proxy or load balancer in
   * maintenance does (Telegram's own servers do not send one).
   */
  public synchronized void unavailable(String method, int retryAfterSeconds, int times) {
    failures.add(new Rule(Type.UNAVAILABLE, method, retryAfterSeconds, null, times));
  }

  /** Next {@code times} calls get the connection closed without any response. */
  public synchronized void dropConnection(String method, int times) {
    failures.add(new Rule(Type.DROP, method, 0, null, times));
  }

  /** Next {@code times} downloads send full headers, half of the body, then close. */
  public synchronized void truncateDownloads(int times) {
    truncations += times;
  }

  /** Answer downloads with 200 and the full body even when a Range is asked. */
  public synchronized void ignoreRange(boolean ignore) {
    this.rangesBeforeIgnoring = ignore ? 0 : -1;
  }

  /**
   * Answer the next {@code honoured} ranged downloads with 206 as usual, and every later one with
   * 200 and the full body: a server (or a proxy or CDN in front of it) that stops honouring Range
   * after the first part of a file.
   */
  public synchronized void ignoreRangeAfter(int honoured) {
    this.rangesBeforeIgnoring = Math.max(0, honoured);
  }

  /** Sleep before answering the next {@code times} calls of the method. */
  public synchronized void delay(String method, Duration d, int times) {
    delays.add(new Rule(null, method, 0, d, times));
  }

  /** Answer ranged downloads with 206 and the range, but without the Content-Range header. */
  public synchronized void omitContentRange(boolean omit) {
    this.omitContentRange = omit;
  }

  /**
   * Leave {@code file_size} out of getFile answers and of the media of posts published from now on
   * (the Bot API documents it as optional): the client has to stream a file of unknown size.
   */
  public synchronized void omitFileSizes(boolean omit) {
    this.omitFileSizes = omit;
  }

  synchronized boolean omitsFileSizes() {
    return omitFileSizes;
  }

  /** Announce every file in getFile answers {@code delta} bytes bigger (negative: smaller) than it is. */
  public synchronized void misstateFileSizes(long delta) {
    this.fileSizeError = delta;
  }

  synchronized long fileSizeError() {
    return fileSizeError;
  }

  /** Sleep before serving ranged downloads whose first byte matches (until {@link #clear()}). */
  public synchronized void delayRanges(LongPredicate rangeStartMatches, Duration d) {
    this.rangeMatcher = rangeStartMatches;
    this.rangeDelay = d;
  }

  /** Limit each download connection to this many bytes per second; 0 = unlimited. */
  public synchronized void throttleDownloads(long bytesPerSecondPerConnection) {
    this.throttleBps = Math.max(0, bytesPerSecondPerConnection);
  }

  /** Existing file_path links return 404 until getFile is called again for that file. */
  public void expireFileLinks() {
    expireLinks.run();
  }

  /**
   * getFile refuses these file_unique_ids from now on, as Telegram does for a file_id it no longer
   * accepts (400 "wrong file_id or the file is temporarily unavailable"); {@link #clear} lifts it.
   */
  public synchronized void rejectFile(String fileUniqueId) {
    rejectedFiles.add(fileUniqueId);
  }

  synchronized boolean rejects(String fileUniqueId) {
    return rejectedFiles.contains(fileUniqueId);
  }

  public synchronized void clear() {
    rejectedFiles.clear();
    failures.clear();
    delays.clear();
    truncations = 0;
    rangesBeforeIgnoring = -1;
    omitContentRange = false;
    omitFileSizes = false;
    fileSizeError = 0;
    rangeMatcher = null;
    rangeDelay = null;
    throttleBps = 0;
  }

  synchronized Failure takeFailure(String method) {
    Rule r = take(failures, method);
    return r == null ? null : new Failure(r.type, r.value);
  }

  synchronized Duration takeDelay(String method) {
    Rule r = take(delays, method);
    return r == null ? Duration.ZERO : r.delay;
  }

  private static Rule take(List<Rule> rules, String method) {
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule r = it.next();
      if (r.matches(method)) {
        if (--r.left <= 0) {
          it.remove();
        }
        return r;
      }
    }
    return null;
  }

  synchronized boolean takeTruncation() {
    if (truncations > 0) {
      truncations--;
      return true;
    }
    return false;
  }

  /** Whether this download's Range (if {@code ranged}) is to be ignored; counts the ranges honoured. */
  synchronized boolean ignoringRange(boolean ranged) {
    if (!ranged || rangesBeforeIgnoring < 0) {
      return false;
    }
    if (rangesBeforeIgnoring == 0) {
      return true;
    }
    rangesBeforeIgnoring--;
    return false;
  }

  synchronized boolean omittingContentRange() {
    return omitContentRange;
  }

  synchronized Duration rangeDelay(long start) {
    return rangeMatcher != null && rangeMatcher.test(start) ? rangeDelay : Duration.ZERO;
  }

  synchronized long throttle() {
    return throttleBps;
  }
}
