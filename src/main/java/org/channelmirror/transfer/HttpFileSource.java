package org.channelmirror.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.channelmirror.config.Secrets;
import org.channelmirror.storage.BandwidthLimit;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.channelmirror.telegram.FloodGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file behind {@code <apiUrl>/file/bot<token>/<file_path>}, read with HTTP Range requests over
 * the pooled keep-alive connections of the transfer engine's own client. A link that answers 404
 * (or 401, 403, 410: what proxies and other servers say for a stale link) may have expired
 * (Telegram keeps them about an hour): the source calls getFile again, once per expiry however
 * many parts noticed it, and the failed part is retried with the new link.
 *
 * <p>The client is Apache HttpClient 5 (the one the S3 client uses) rather than OkHttp: it reads a
 * part's body straight from the socket into the part buffer in large reads, where Okio copies
 * 8 KiB segments; that was 0.6 instead of 1.0 CPU seconds per GiB (docs/benchmarks.md).
 */
final class HttpFileSource implements FileSource {
  private static final Logger log = LoggerFactory.getLogger(MediaTransfer.class);
  /** A sanity cap on one flood wait (the sleep is interruptible: a stop does not wait for it). */
  private static final long MAX_FLOOD_WAIT_SECONDS = 900;
  /** The file server's key in its {@link FloodGate}. */
  private static final String FILE_SERVER = "file";
  private static final com.fasterxml.jackson.databind.ObjectMapper ENVELOPE =
      new com.fasterxml.jackson.databind.ObjectMapper();
  /**
   * A ranged GET answered 200 with the whole file, after the probe's 206: asking the part again
   * would get the same answer, so the transfer reads the file as one stream instead
   * ({@link #whole()}).
   */
  static final class RangesIgnored extends IOException {
    RangesIgnored(String message) {
      super(message);
    }
  }

  /**
   * The file server states a length for the whole file (a 200's Content-Length, a 206's complete
   * length) other than the size getFile announced. Asking again gets the same answer, so no retry
   * in this run downloads the file again only to find that out.
   */
  static final class SizeDisagrees extends IOException {
    SizeDisagrees(String message) {
      super(message);
    }
  }

  /** Calls getFile again and returns the new file_path. */
  interface LinkRefresher {
    String refresh() throws InterruptedException;
  }

  private final CloseableHttpClient http;
  private final HttpUrl fileBase;
  private final LinkRefresher refresher;
  private final long total;
  private final BandwidthLimit limit;
  /** Shared by every download from this file server: a 429 on one holds them all for its window. */
  private final FloodGate gate;
  /** Requests in flight, headers or body: cancelling one closes its connection, which ends a blocked read. */
  private final Set<HttpGet> active = ConcurrentHashMap.newKeySet();
  private volatile String path;
  private int generation; // guarded by this
  private volatile boolean closed;
  private Answer primed; // guarded by this: the answer to probe(), consumed by the part at primedAt
  private long primedAt; // guarded by this

  /** One response and the request it answers (to cancel it). */
  private final class Answer implements AutoCloseable {
    final HttpGet request;
    final ClassicHttpResponse response;
    private boolean consumed;
    /** A 429's wait in seconds, read when it came (its body is read then). */
    long floodWait;

    Answer(HttpGet request, ClassicHttpResponse response) {
      this.request = request;
      this.response = response;
    }

    int code() {
      return response.getCode();
    }

    long contentLength() {
      return response.getEntity() == null ? -1 : response.getEntity().getContentLength();
    }

    String header(String name) {
      Header h = response.getFirstHeader(name);
      return h == null ? null : h.getValue();
    }

    InputStream body() throws IOException {
      if (response.getEntity() == null) {
        throw new IOException("download of " + redacted() + " answered " + code() + " without a body");
      }
      return limit.limit(response.getEntity().getContent());
    }

    /** The body was read to its end: the connection goes back to the pool for the next part. */
    void consumed() throws IOException {
      body().close();
      consumed = true;
    }

    /**
     * Ends the exchange. A body not read to its end is cut off by closing the connection first:
     * the client would otherwise drain the rest of it (a whole file, for the sequential stream).
     */
    @Override
    public void close() {
      active.remove(request);
      try {
        if (!consumed) {
          request.cancel();
        }
        response.close();
      } catch (IOException e) {
        request.cancel();
      }
    }
  }

  HttpFileSource(CloseableHttpClient http, HttpUrl fileBase, String path, long total, BandwidthLimit limit,
                 FloodGate gate, LinkRefresher refresher) {
    this.http = http;
    this.fileBase = fileBase;
    this.path = path;
    this.total = total;
    this.limit = limit;
    this.gate = gate;
    this.refresher = refresher;
  }

  /**
   * Asks for the {@code firstLen} bytes at {@code offset}, the first part the window will read.
   * When the server honours Range (206) the answer is kept for {@code readPart(offset, ..)} and
   * this returns null; when it answers 200 with the whole file, this returns that body to be read
   * sequentially from its first byte (the caller closes it). So does a 206 whose Content-Range is
   * missing or not the range asked for: ranges that cannot be checked are not used, and the file
   * is fetched again without one.
   */
  InputStream probe(long offset, long firstLen) throws IOException, InterruptedException {
    long from = offset;
    long ask = firstLen;
    for (int attempt = 1; ; attempt++) {
      int gen = generation();
      Answer r = execute(from, ask);
      if (r.code() == 206) {
        String cr = r.header("Content-Range");
        if (rangeMatches(cr, from, ask, total)) {
          synchronized (this) {
            primed = r;
            primedAt = from;
          }
          return null;
        }
        checkStatedSize(r, completeLength(cr), "Content-Range " + cr);
        r.close();
        if (from != 0 || ask != total) {
          log.warn("download of {}: asked for bytes {}-{}, the file server answered 206 with Content-Range {};"
              + " reading the file as one stream instead of parts", redacted(), from, from + ask - 1, cr);
          from = 0;
          ask = total;
          attempt--;
          continue;
        }
        throw new IOException("download of " + redacted() + ": asked for the whole file, got 206 with Content-Range "
            + cr);
      }
      if (r.code() == 200) {
        checkStatedSize(r, r.contentLength(), "Content-Length");
        InputStream body = r.body();
        return new SizeCheckingInputStream(new FilterInputStream(body) {
          @Override
          public void close() {
            r.close();
          }
        }, total);
      }
      if (BotApi.linkMayHaveExpired(r.code()) && attempt == 1) {
        r.close();
        refresh(gen);
        continue;
      }
      fail(r, gen, false);
    }
  }

  /**
   * The whole file as one stream from its first byte, asked without a Range: for a server that
   * answered a ranged GET with 200 after honouring the probe. The caller closes it.
   */
  InputStream whole() throws IOException, InterruptedException {
    InputStream in = probe(0, total);
    if (in == null) { // a 206 for the whole file, Content-Range and all: read it as a stream all the same
      Answer r;
      synchronized (this) {
        r = primed;
        primed = null;
      }
      in = new SizeCheckingInputStream(new FilterInputStream(r.body()) {
        @Override
        public void close() {
          r.close();
        }
      }, total);
    }
    return in;
  }

  @Override
  public void readPart(long offset, byte[] buf, int len, LongConsumer arrived) throws IOException,
      InterruptedException {
    Answer r = null;
    synchronized (this) {
      if (primed != null && primedAt == offset) {
        r = primed;
        primed = null;
      }
    }
    int gen = generation();
    if (r == null) {
      r = execute(offset, len);
    }
    try (Answer response = r) {
      boolean whole = offset == 0 && len == total;
      if (response.code() == 200 && whole) {
        checkStatedSize(response, response.contentLength(), "Content-Length");
      } else if (response.code() == 206) {
        checkContentRange(response, offset, len);
      } else if (response.code() == 200) {
        throw new RangesIgnored("the file server stopped honouring Range requests (200 for bytes " + offset
            + "-" + (offset + len - 1) + ")");
      } else {
        fail(response, gen, true);
      }
      InputStream src = response.body();
      int pos = 0;
      while (pos < len) {
        int n;
        try {
          n = src.read(buf, pos, len - pos);
        } catch (IOException e) {
          if (closed) {
            throw e; // cancelled: not the server's doing
          }
          // the client's own text ("Premature end of Content-Length delimited message body") says
          // neither which download broke off nor where
          throw new IOException(brokeOff(pos, len, offset) + " (" + Secrets.redact(String.valueOf(e.getMessage()))
              + ")", e);
        }
        if (n < 0) {
          throw new IOException(brokeOff(pos, len, offset));
        }
        pos += n;
        arrived.accept(n);
      }
      if (whole && src.read() >= 0) {
        throw new IOException("download of " + redacted() + " delivered more than the " + total
            + " bytes Telegram announced");
      }
      response.consumed();
    }
  }

  private Answer execute(long offset, long len) throws IOException, InterruptedException {
    if (closed) {
      throw new IOException("transfer cancelled");
    }
    FloodGate.Pass pass = gate.enter(FILE_SERVER);
    boolean answered = false;
    try {
      Answer a = send(offset, len);
      if (a.code() == 429) {
        // block the gate before it lets the next download through
        a.floodWait = Math.min(retryAfterSeconds(a), MAX_FLOOD_WAIT_SECONDS);
        gate.block(FILE_SERVER, (int) a.floodWait);
      } else {
        answered = true;
      }
      return a;
    } finally {
      gate.done(pass, answered);
    }
  }

  private Answer send(long offset, long len) throws IOException {
    HttpGet get = new HttpGet(fileBase.newBuilder().addPathSegments(path).build().uri());
    // a compressed answer would make byte ranges meaningless
    get.setHeader("Accept-Encoding", "identity");
    if (!(offset == 0 && len == total)) {
      get.setHeader("Range", "bytes=" + offset + "-" + (offset + len - 1));
    }
    active.add(get);
    try {
      Answer a = new Answer(get, http.executeOpen(null, get, null));
      if (closed) { // close() ran while the headers were on their way
        a.close();
        throw new IOException("transfer cancelled");
      }
      return a;
    } catch (IOException | RuntimeException e) {
      active.remove(get);
      if (closed) {
        throw new IOException("transfer cancelled", e);
      }
      // the client's texts may carry the URL, and with it the token
      throw new IOException(Secrets.redact(e.getClass().getSimpleName() + ": " + e.getMessage()), e);
    }
  }

  private void checkContentRange(Answer r, long offset, int len) throws IOException {
    String cr = r.header("Content-Range");
    checkStatedSize(r, completeLength(cr), "Content-Range " + cr);
    if (!rangeMatches(cr, offset, len, total)) {
      r.close();
      throw new IOException("download of " + redacted() + ": asked for bytes " + offset + "-" + (offset + len - 1)
          + "/" + total + ", got Content-Range " + cr);
    }
  }

  /**
   * Fails with {@link SizeDisagrees} (closing {@code r}) when the file server states a length for
   * the whole file ({@code stated}, -1 for none; {@code where}: the header that states it) other
   * than the size getFile announced.
   */
  private void checkStatedSize(Answer r, long stated, String where) throws SizeDisagrees {
    if (stated >= 0 && stated != total) {
      r.close();
      throw new SizeDisagrees("download of " + redacted() + " has " + stated + " bytes (" + where
          + "), Telegram announced " + total);
    }
  }

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("\\s*bytes\\s+(\\d+)\\s*-\\s*(\\d+)\\s*/\\s*(\\d+|\\*)\\s*", Pattern.CASE_INSENSITIVE);

  /** The complete length a Content-Range states, or -1 when it states none ("*") or cannot be read. */
  static long completeLength(String contentRange) {
    Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange);
    if (m == null || !m.matches() || m.group(3).equals("*")) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(3));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Whether a 206 answer's Content-Range is exactly the asked range. Read as RFC 9110 allows it
   * (any case and spacing, "*" for a length the server does not state), not as one spelling.
   */
  static boolean rangeMatches(String contentRange, long offset, long len, long total) {
    if (contentRange == null) {
      return false;
    }
    Matcher m = CONTENT_RANGE.matcher(contentRange);
    try {
      return m.matches() && Long.parseLong(m.group(1)) == offset && Long.parseLong(m.group(2)) == offset + len - 1
          && (m.group(3).equals("*") || Long.parseLong(m.group(3)) == total);
    } catch (NumberFormatException e) { // more digits than a long holds
      return false;
    }
  }

  /** A 429's wait: the Retry-After header, else what the Bot API error envelope asks for; 0 if neither. */
  static long retryAfterSeconds(Answer r) {
    String header = r.header("Retry-After");
    if (header != null && header.trim().matches("\\d{1,6}")) {
      return Long.parseLong(header.trim());
    }
    try {
      return BotApi.retryAfter(ENVELOPE.readTree(r.body().readNBytes(4096)));
    } catch (IOException | RuntimeException e) { // not a Bot API envelope
      return 0;
    }
  }

  /** Throws for a non-success answer; refreshes the link first when it may have expired. */
  private void fail(Answer r, int gen, boolean mayRefresh) throws IOException, InterruptedException {
    int code = r.code();
    long waitSeconds = code == 429 ? r.floodWait : 0;
    r.close();
    if (waitSeconds > 0) {
      // flood control on the file server: the gate holds every download for the window (the
      // part's retry too); waiting here keeps the engine from spending its attempts meanwhile
      log.info("download of {} answered 429; waiting {} s as asked", redacted(), waitSeconds);
      Thread.sleep(waitSeconds * 1000 + 250);
      throw new IOException("download of " + redacted() + " answered HTTP 429 (flood control, waited "
          + waitSeconds + " s)");
    }
    if (BotApi.linkMayHaveExpired(code) && mayRefresh) {
      String expired = redacted();
      refresh(gen);
      throw new IOException("download link " + expired + " answered HTTP " + code + " (expired?); getFile gave "
          + (expired.equals(redacted()) ? "the same path again" : "a new one: " + path));
    }
    BotApiException.Kind kind = code == 404 || code == 408 || code == 429 || code >= 500
        ? BotApiException.Kind.RETRYABLE : BotApiException.Kind.PERMANENT;
    String msg = "download of " + redacted() + " answered HTTP " + code;
    if (kind == BotApiException.Kind.RETRYABLE) {
      throw new IOException(msg);
    }
    throw new BotApiException(kind, code, 0, msg, null);
  }

  private synchronized int generation() {
    return generation;
  }

  /** getFile again, unless another part already did since {@code seen}. */
  private synchronized void refresh(int seen) throws InterruptedException {
    if (generation == seen) {
      path = refresher.refresh();
      generation++;
    }
  }

  private String brokeOff(int pos, int len, long offset) {
    return "download of " + redacted() + " broke off after " + pos + " of " + len + " bytes of the part at " + offset;
  }

  String redacted() {
    return fileBase.scheme() + "://" + fileBase.host() + ":" + fileBase.port() + "/file/bot<redacted>/" + path;
  }

  @Override
  public void close() {
    closed = true;
    active.forEach(HttpGet::cancel);
    synchronized (this) {
      if (primed != null) {
        primed.close();
        primed = null;
      }
    }
  }
}
