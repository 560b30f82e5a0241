package org.channelmirror.bench;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.channelmirror.app.CompilerPolicy;
import org.channelmirror.storage.CompletedPartRef;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.S3Settings;

/**
 * The CPU floor of this stack for one file, run as a fresh process under {@code /usr/bin/time}:
 * nothing but the data path of a multipart transfer, with the libraries the product uses (Apache
 * HttpClient 5 ranged GETs into 8 MiB buffers, SHA-256 in file order, UploadPart through the
 * product's ObjectStore on the AWS SDK), 8 parts at a time. No configuration, catalog, Bot API
 * client, logging set-up, progress or retries; the product's JIT policy ({@code CompilerPolicy}).
 * What the real {@code sync} spends beyond this is the product's own overhead; what this spends
 * is the price of a JVM with these libraries.
 *
 * <p>Usage: {@code BareEngine <s3Endpoint> <accessKey> <secret> <fileUrl> <fileSize>}
 */
public final class BareEngine {
  private static final int PART = 8 << 20;
  private static final int WINDOW = 8;

  public static void main(String[] args) throws Exception {
    CompilerPolicy.applyInBackground(); // the product's JIT policy, as Main applies it
    String url = args[3];
    long size = Long.parseLong(args[4]);
    int parts = (int) ((size + PART - 1) / PART);
    ExecutorService pool = Executors.newFixedThreadPool(WINDOW);
    byte[][] bufs = new byte[WINDOW][PART];
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (CloseableHttpClient http = HttpClients.custom().disableContentCompression()
             .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnPerRoute(WINDOW)
                 .build()).build();
         ObjectStore store = ObjectStore.connect(S3Settings.of(args[0], "us-east-1", "bare-engine", "", true,
             args[1], args[2]))) {
      store.ensureBucket(true);
      String key = "bare.bin";
      String id = store.createMultipartUpload(key, null, Map.of());
      List<CompletedPartRef> done = new ArrayList<>();
      for (int first = 0; first < parts; first += WINDOW) {
        int n = Math.min(WINDOW, parts - first);
        int[] lens = new int[n];
        List<Future<?>> gets = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          long off = (long) (first + j) * PART;
          int len = (int) Math.min(PART, size - off);
          lens[j] = len;
          byte[] buf = bufs[j];
          gets.add(pool.submit(() -> {
            HttpGet get = new HttpGet(url);
            get.setHeader("Range", "bytes=" + off + "-" + (off + len - 1));
            try (ClassicHttpResponse r = http.executeOpen(null, get, null);
                 InputStream in = r.getEntity().getContent()) {
              for (int pos = 0; pos < len; ) {
                int k = in.read(buf, pos, len - pos);
                if (k < 0) {
                  throw new IllegalStateException("short read");
                }
                pos += k;
              }
            }
            return null;
          }));
        }
        for (Future<?> f : gets) {
          f.get();
        }
        List<Future<CompletedPartRef>> puts = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          sha.update(bufs[j], 0, lens[j]);
          int number = first + j + 1;
          byte[] buf = bufs[j];
          int len = lens[j];
          puts.add(pool.submit(() -> new CompletedPartRef(number, store.uploadPart(key, id, number, buf, 0, len), len)));
        }
        for (Future<CompletedPartRef> f : puts) {
          done.add(f.get());
        }
      }
      store.completeMultipartUpload(key, id, done);
      System.out.println("bare engine: " + parts + " parts, sha256 " + HexFormat.of().formatHex(sha.digest()));
    } finally {
      pool.shutdown();
    }
  }
}
