package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.storage.BandwidthLimit;
import org.channelmirror.telegram.FloodGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ranged-GET source against the fake Bot API's file server, over real HTTP. */
class HttpFileSourceIT {
  private static final int PART = 4 << 20;
  FakeBotApi api;
  PoolingHttpClientConnectionManager pool;
  CloseableHttpClient http;

  @BeforeEach
  void start() throws IOException {
    api = FakeBotApi.start(FakeBotApi.Options.defaults());
    pool = PoolingHttpClientConnectionManagerBuilder.create().build();
    http = HttpClients.custom().setConnectionManager(pool).disableContentCompression().build();
  }

  @AfterEach
  void stop() throws IOException {
    http.close();
    api.close();
  }

  @Test
  void partsArriveByteIdenticalOverOneReusedConnection() throws Exception {
    FileRef f = api.addFile(FileContent.random(7, 3L * PART + 12345), "documents");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (HttpFileSource src = source(f)) {
      byte[] buf = new byte[PART];
      for (long off = 0; off < f.size(); off += PART) {
        int len = (int) Math.min(PART, f.size() - off);
        src.readPart(off, buf, len);
        sha.update(buf, 0, len);
      }
    }
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(f.content().sha256Hex());
    // bodies read to their end hand their connection back: one connection served all four parts
    assertThat(pool.getTotalStats().getAvailable()).isEqualTo(1);
  }

  @Test
  void closeEndsADownloadBlockedMidBodyAtOnce() throws Exception {
    FileRef f = api.addFile(FileContent.random(8, 2L * PART), "documents");
    api.faults().throttleDownloads(256 << 10); // 16 s for one part
    HttpFileSource src = source(f);
    CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
      try {
        src.readPart(0, new byte[PART], PART);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(700); // headers arrived, the body is trickling in
    long t0 = System.nanoTime();
    src.close();
    assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5000);
    assertThatThrownBy(() -> src.readPart(PART, new byte[PART], PART)).hasMessageContaining("cancelled");
  }

  @Test
  void aLinkThatNoLongerWorksIsRefreshedOnceAndThePartRetried() throws Exception {
    FileRef f = api.addFile(FileContent.random(9, PART), "documents");
    String good = filePath(f);
    java.util.concurrent.atomic.AtomicInteger refreshes = new java.util.concurrent.atomic.AtomicInteger();
    try (HttpFileSource src = new HttpFileSource(http, base(), "documents/gone_" + good.replace('/', '_'), f.size(),
        BandwidthLimit.NONE, new FloodGate(java.time.Clock.systemUTC(), 0),
        () -> {
          refreshes.incrementAndGet();
          return good;
        })) {
      byte[] buf = new byte[PART];
      assertThatThrownBy(() -> src.readPart(0, buf, PART)).isInstanceOf(IOException.class)
          .hasMessageContaining("/documents/gone_").hasMessageContaining("getFile gave a new one: " + good)
          .hasMessageNotContaining(api.token());
      src.readPart(0, buf, PART); // the caller's retry, with the new link
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      assertThat(HexFormat.of().formatHex(sha.digest(buf))).isEqualTo(f.content().sha256Hex());
    }
    assertThat(refreshes).hasValue(1);
    assertThat(org.channelmirror.telegram.BotApi.linkMayHaveExpired(403)).isTrue();
    assertThat(org.channelmirror.telegram.BotApi.linkMayHaveExpired(410)).isTrue();
    assertThat(org.channelmirror.telegram.BotApi.linkMayHaveExpired(500)).isFalse();
  }

  private String filePath(FileRef f) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/bot"
            + api.token() + "/getFile?file_id=" + f.fileId())).build(), HttpResponse.BodyHandlers.ofString()).body();
    return new ObjectMapper().readTree(body).path("result").path("file_path").asText();
  }

  private HttpUrl base() {
    return HttpUrl.get(api.baseUrl()).newBuilder().addPathSegment("file").addPathSegment("bot" + api.token()).build();
  }

  private HttpFileSource source(FileRef f) throws Exception {
    String path = filePath(f);
    return new HttpFileSource(http, base(), path, f.size(), BandwidthLimit.NONE,
        new FloodGate(java.time.Clock.systemUTC(), 0), () -> path);
  }
}
