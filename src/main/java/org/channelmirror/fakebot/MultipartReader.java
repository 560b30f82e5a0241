package org.channelmirror.fakebot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streaming multipart/form-data parser: part bodies go straight to a sink, so uploads of any size use a fixed
 * 128 KiB buffer. Per-part {@code Content-Length} headers (TelegramBots sends them) are not needed and ignored.
 */
final class MultipartReader {
  private static final int MAX_HEADER_LINE = 16 * 1024;
  private final InputStream in;
  private final byte[] delim;
  private final byte[] buf = new byte[1 << 17];
  private int pos;
  private int lim;
  private boolean started;

  /** Headers of one part; {@code fileName} is null for plain fields. */
  record PartHeaders(String name, String fileName, String contentType) {}

  MultipartReader(InputStream in, String boundary) {
    this.in = in;
    this.delim = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // a virtual CRLF lets the first "--boundary" match the same delimiter as the others
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  static String boundaryOf(String contentType) {
    for (String p : contentType.split(";")) {
      String t = p.trim();
      if (t.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = t.substring(9);
        return b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2 ? b.substring(1, b.length() - 1) : b;
      }
    }
    return null;
  }

  /** Advances to the next part and returns its headers, or null at the end. Call {@link #body} before the next. */
  PartHeaders next() throws IOException {
    if (!started) {
      started = true;
      if (!copyUntilDelimiter(null)) {
        return null;
      }
    }
    if (!ensure(2)) {
      return null;
    }
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      return null;
    }
    readLine(); // transport padding + CRLF after the boundary
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line; !(line = readLine()).isEmpty(); ) {
      int c = line.indexOf(':');
      if (c > 0) {
        headers.put(line.substring(0, c).trim().toLowerCase(java.util.Locale.ROOT), line.substring(c + 1).trim());
      }
    }
    String cd = headers.getOrDefault("content-disposition", "");
    return new PartHeaders(param(cd, "name"), param(cd, "filename"), headers.get("content-type"));
  }

  /** Streams the current part's body into {@code sink} (null discards). */
  void body(OutputStream sink) throws IOException {
    if (!copyUntilDelimiter(sink)) {
      throw new IOException("multipart body ended without closing boundary");
    }
  }

  private boolean copyUntilDelimiter(OutputStream sink) throws IOException {
    while (true) {
      int found = indexOfDelim();
      if (found >= 0) {
        write(sink, pos, found - pos);
        pos = found + delim.length;
        return true;
      }
      int safe = lim - (delim.length - 1);
      if (safe > pos) {
        write(sink, pos, safe - pos);
        pos = safe;
      }
      if (!fill()) {
        return false;
      }
    }
  }

  private int indexOfDelim() {
    int last = lim - delim.length;
    byte first = delim[0];
    outer:
    for (int i = pos; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < delim.length; j++) {
        if (buf[i + j] != delim[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private void write(OutputStream sink, int off, int len) throws IOException {
    if (sink != null && len > 0) {
      sink.write(buf, off, len);
    }
  }

  /** Compacts and reads more; false on end of stream. */
  private boolean fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    if (lim == buf.length) {
      throw new IOException("multipart line too long");
    }
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      return false;
    }
    lim += n;
    return true;
  }

  private boolean ensure(int n) throws IOException {
    while (lim - pos < n) {
      if (!fill()) {
        return false;
      }
    }
    return true;
  }

  private String readLine() throws IOException {
    while (true) {
      for (int i = pos; i + 1 < lim; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n') {
          String s = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
          pos = i + 2;
          return s;
        }
      }
      if (lim - pos > MAX_HEADER_LINE || !fill()) {
        throw new IOException("bad multipart header");
      }
    }
  }

  /** Value of {@code key="..."} (or unquoted) in a Content-Disposition header. */
  static String param(String header, String key) {
    int i = 0;
    while (i < header.length()) {
      int semi = header.indexOf(';', i);
      if (semi < 0) {
        return null;
      }
      int start = semi + 1;
      while (start < header.length() && header.charAt(start) == ' ') {
        start++;
      }
      int eq = header.indexOf('=', start);
      if (eq < 0) {
        return null;
      }
      String k = header.substring(start, eq).trim();
      int v = eq + 1;
      String value;
      int end;
      if (v < header.length() && header.charAt(v) == '"') {
        StringBuilder sb = new StringBuilder();
        int j = v + 1;
        for (; j < header.length() && header.charAt(j) != '"'; j++) {
          char c = header.charAt(j);
          if (c == '\\' && j + 1 < header.length()) {
            c = header.charAt(++j);
          }
          sb.append(c);
        }
        value = sb.toString().replace("%22", "\"").replace("%0A", "\n").replace("%0D", "\r");
        end = j + 1;
      } else {
        int s = header.indexOf(';', v);
        end = s < 0 ? header.length() : s;
        value = header.substring(v, end).trim();
      }
      if (k.equalsIgnoreCase(key)) {
        return value;
      }
      i = end;
    }
    return null;
  }
}
