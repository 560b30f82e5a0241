package org.channelmirror.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.channelmirror.telegram.BotApiException;

/**
 * A file behind {@code <apiUrl>/file/bot<token>/<file_path>}, read with HTTP Range requests over
 * the pooled keep-alive connections of the transfer engine's own client. A link that answers 404
 * has expired (Telegram keeps them about an hour): the source calls getFile again, once per
 * expiry however many parts noticed it, and the failed part is retried with the new link.
 */
final class HttpFileSource implements FileSource {
  /** Calls getFile again and returns the new file_path. */
  interface LinkRefresher {
    String refresh() throws InterruptedException;
  }

  private final OkHttpClient http;
  private final HttpUrl fileBase;
  private final LinkRefresher refresher;
  private final long total;
  private final Set<Call> active = ConcurrentHashMap.newKeySet();
  private volatile String path;
  private int generation; // guarded by this
  private volatile boolean closed;
  private Response primed; // guarded by this: the answer to probe(), consumed by the first part

  HttpFileSource(OkHttpClient http, HttpUrl fileBase, String path, long total, LinkRefresher refresher) {
    this.http = http;
    this.fileBase = fileBase;
    this.path = path;
    this.total = total;
    this.refresher = refresher;
  }

  /**
   * Asks for the first {@code firstLen} bytes. When the server honours Range (206) the answer is
   * kept for {@code readPart(0, ..)} and this returns null; when it answers 200 with the whole
   * file, this returns that body to be read sequentially (the caller closes it).
   */
  InputStream probe(int firstLen) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      int gen = generation();
      Response r = execute(0, firstLen);
      if (r.code() == 206) {
        checkContentRange(r, 0, firstLen);
        synchronized (this) {
          primed = r;
        }
        return null;
      }
      if (r.code() == 200) {
        long len = r.body().contentLength();
        if (len >= 0 && len != total) {
          r.close();
          throw new IOException("download of " + redacted() + " has " + len + " bytes, Telegram announced " + total);
        }
        return new SizeCheckingInputStream(r.body().byteStream(), total);
      }
      if (r.code() == 404 && attempt == 1) {
        r.close();
        refresh(gen);
        continue;
      }
      fail(r, gen, false);
    }
  }

  @Override
  public void readPart(long offset, byte[] buf, int len) throws IOException, InterruptedException {
    Response r = null;
    if (offset == 0) {
      synchronized (this) {
        r = primed;
        primed = null;
      }
    }
    int gen = generation();
    if (r == null) {
      r = execute(offset, len);
    }
    try (Response response = r) {
      boolean whole = offset == 0 && len == total;
      if (response.code() == 200 && whole) {
        long cl = response.body().contentLength();
        if (cl >= 0 && cl != total) {
          throw new IOException("download of " + redacted() + " has " + cl + " bytes, Telegram announced " + total);
        }
      } else if (response.code() == 206) {
        checkContentRange(response, offset, len);
      } else if (response.code() == 200) {
        throw new IOException("the file server stopped honouring Range requests (200 for bytes " + offset
            + "-" + (offset + len - 1) + ")");
      } else {
        fail(response, gen, true);
      }
      BufferedSource src = response.body().source();
      int pos = 0;
      while (pos < len) {
        int n = src.read(buf, pos, len - pos);
        if (n < 0) {
          throw new IOException("download of " + redacted() + " broke off after " + pos + " of " + len
              + " bytes of the part at " + offset);
        }
        pos += n;
      }
      if (whole && !src.exhausted()) {
        throw new IOException("download of " + redacted() + " delivered more than the " + total
            + " bytes Telegram announced");
      }
    }
  }

  private Response execute(long offset, int len) throws IOException {
    if (closed) {
      throw new IOException("transfer cancelled");
    }
    HttpUrl url = fileBase.newBuilder().addPathSegments(path).build();
    Request.Builder req = new Request.Builder().url(url).get()
        // a compressed answer would make byte ranges meaningless
        .header("Accept-Encoding", "identity");
    if (!(offset == 0 && len == total)) {
      req.header("Range", "bytes=" + offset + "-" + (offset + len - 1));
    }
    Call call = http.newCall(req.build());
    active.add(call);
    try {
      return call.execute();
    } finally {
      active.remove(call);
    }
  }

  private void checkContentRange(Response r, long offset, int len) throws IOException {
    String expected = "bytes " + offset + "-" + (offset + len - 1) + "/" + total;
    String cr = r.header("Content-Range");
    if (cr == null || !cr.trim().equals(expected)) {
      r.close();
      throw new IOException("download of " + redacted() + ": asked for " + expected + ", got Content-Range " + cr);
    }
  }

  /** Throws for a non-success answer; refreshes the link first when it expired (404). */
  private void fail(Response r, int gen, boolean mayRefresh) throws IOException, InterruptedException {
    int code = r.code();
    r.close();
    if (code == 404 && mayRefresh) {
      refresh(gen);
      throw new IOException("download link of " + redacted() + " expired (404); got a new one from getFile");
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

  String redacted() {
    return fileBase.scheme() + "://" + fileBase.host() + ":" + fileBase.port() + "/file/bot<redacted>/" + path;
  }

  @Override
  public void close() {
    closed = true;
    active.forEach(Call::cancel);
    synchronized (this) {
      if (primed != null) {
        primed.close();
        primed = null;
      }
    }
  }
}
