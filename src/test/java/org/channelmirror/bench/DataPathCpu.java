package org.channelmirror.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.channelmirror.storage.CompletedPartRef;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.S3Settings;

/**
 * Client CPU of each piece of the data path, in one warmed-up JVM, per GiB: SHA-256, ranged GETs
 * into part buffers (OkHttp, and Apache HttpClient 5 as the product does), and UploadPart through
 * the product's ObjectStore. Each piece
 * runs twice; the second (JIT-compiled) round is reported. Used to split the per-GiB CPU of a
 * transfer (docs/benchmarks.md, "Where the CPU goes").
 *
 * <p>Usage: {@code DataPathCpu <s3Endpoint> <accessKey> <secret> <fileUrl> <fileSize>}
 */
public final class DataPathCpu {
  private static final int PART = 8 << 20;
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String url = args[3];
    long size = Long.parseLong(args[4]);
    int parts = (int) (size / PART);
    double gib = (double) parts * PART / (1L << 30);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CloseableHttpClient apache = HttpClients.custom().disableContentCompression()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnPerRoute(16).build())
        .build();
    byte[][] bufs = new byte[8][PART];
    for (int round = 1; round <= 2; round++) {
      long t = OS.getProcessCpuTime();
      long w = System.nanoTime();
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < parts; i++) {
        md.update(bufs[i % 8]);
      }
      md.digest();
      report(round, "sha256 (8 buffers, 64 MiB)", t, w, gib);
      t = OS.getProcessCpuTime();
      w = System.nanoTime();
      for (int i = 0; i < parts; i++) {
        md.update(bufs[0]);
      }
      md.digest();
      report(round, "sha256 (one 8 MiB buffer)", t, w, gib);

      OkHttpClient okhttp = new OkHttpClient.Builder().build();
      t = OS.getProcessCpuTime();
      w = System.nanoTime();
      eachPart(pool, bufs, parts, (off, buf) -> {
        try (Response r = okhttp.newCall(new Request.Builder().url(url).header("Accept-Encoding", "identity")
            .header("Range", "bytes=" + off + "-" + (off + PART - 1)).build()).execute()) {
          BufferedSource src = r.body().source();
          int pos = 0;
          while (pos < PART) {
            pos += src.read(buf, pos, PART - pos);
          }
        }
      });
      report(round, "ranged GETs (OkHttp, 8 in flight)", t, w, gib);

      // what the product uses (transfer.HttpFileSource): reads go from the socket into the buffer
      t = OS.getProcessCpuTime();
      w = System.nanoTime();
      eachPart(pool, bufs, parts, (off, buf) -> {
        HttpGet get = new HttpGet(url);
        get.setHeader("Range", "bytes=" + off + "-" + (off + PART - 1));
        try (ClassicHttpResponse r = apache.executeOpen(null, get, null);
             InputStream in = r.getEntity().getContent()) {
          int pos = 0;
          while (pos < PART) {
            pos += in.read(buf, pos, PART - pos);
          }
        }
      });
      report(round, "ranged GETs (Apache 5, 8 in flight)", t, w, gib);

      try (ObjectStore store = ObjectStore.connect(S3Settings.of(endpoint, "us-east-1", "cpu-probe", "", true,
          args[1], args[2]))) {
        store.ensureBucket(true);
        String key = "probe-" + round;
        String id = store.createMultipartUpload(key, null, Map.of());
        t = OS.getProcessCpuTime();
        w = System.nanoTime();
        List<Future<CompletedPartRef>> us = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
          int n = i + 1;
          byte[] buf = bufs[i % 8];
          us.add(pool.submit(() -> new CompletedPartRef(n, store.uploadPart(key, id, n, buf, 0, PART), PART)));
        }
        List<CompletedPartRef> done = new ArrayList<>();
        for (Future<CompletedPartRef> f : us) {
          done.add(f.get());
        }
        report(round, "UploadPart (AWS SDK, 8 in flight)", t, w, gib);
        store.abortMultipartUpload(key, id);
      }
    }
    pool.shutdown();
    apache.close();
  }

  /** Reads one part at {@code offset} into {@code buf}. */
  private interface PartRead {
    void read(long offset, byte[] buf) throws Exception;
  }

  /** Reads every part on the pool, 8 buffers in rotation, and waits for all of them. */
  private static void eachPart(ExecutorService pool, byte[][] bufs, int parts, PartRead read) throws Exception {
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      long off = (long) i * PART;
      byte[] buf = bufs[i % bufs.length];
      fs.add(pool.submit(() -> {
        read.read(off, buf);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
  }

  private static void report(int round, String what, long cpu0, long wall0, double gib) {
    if (round == 2) {
      double cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
      double wall = (System.nanoTime() - wall0) / 1e9;
      System.out.printf("%-36s cpu %5.2f s/GiB   wall %5.2f s/GiB%n", what, cpu / gib, wall / gib);
    }
  }
}
