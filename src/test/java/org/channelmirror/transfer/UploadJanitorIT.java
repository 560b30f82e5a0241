package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.UploadJournal;
import org.channelmirror.storage.EmbeddedS3;
import org.channelmirror.storage.MinimalBlobStore;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.PendingUpload;
import org.channelmirror.storage.S3Settings;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleanup of multipart uploads nobody will complete, against a real S3 server and catalog. */
class UploadJanitorIT {
  @TempDir
  Path dir;

  /** An S3 server (its store wrapped by {@code decorate}), a client with the bucket created, and a catalog. */
  private final class Servers implements AutoCloseable {
    EmbeddedS3 s3;
    ObjectStore store;
    Catalog catalog;

    Servers(UnaryOperator<BlobStore> decorate) throws Exception {
      try {
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0, decorate);
        store = ObjectStore.connect(S3Settings.of(s3.endpoint(), "us-east-1", "janitor", "", true,
            s3.accessKeyId(), s3.secretAccessKey()));
        catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("catalog"), "", "", 2);
        store.ensureBucket(true);
      } catch (Exception e) {
        close();
        throw e;
      }
    }

    @Override
    public void close() {
      if (catalog != null) {
        catalog.close();
      }
      if (store != null) {
        store.close();
      }
      if (s3 != null) {
        s3.close();
      }
    }
  }

  @Test
  void abortsUnknownAndStaleUploadsAndKeepsResumableOnes() throws Exception {
    try (Servers servers = new Servers(UnaryOperator.identity())) {
      ObjectStore store = servers.store;
      Catalog catalog = servers.catalog;
      UploadJournal journal = catalog.uploadJournal();
      String unknown = store.createMultipartUpload("media/orphan.bin", null, Map.of());
      String known = store.createMultipartUpload("media/resumable.bin", null, Map.of());
      journal.start("resumable", "media/resumable.bin", known, 5L << 20, 20L << 20);
      journal.partDone("resumable", 1, "\"etag\"", 5L << 20);
      String elsewhere = store.createMultipartUpload("channels/other.json", null, Map.of());
      UploadJanitor janitor = new UploadJanitor(store, catalog, Clock.systemUTC());

      // fresh unknown uploads may belong to a process creating them right now: kept
      assertThat(janitor.sweep(Instant.now(), UploadJanitor.DEFAULT_UNKNOWN_AGE).aborted()).isEmpty();
      assertThat(store.listMultipartUploads("")).hasSize(3);

      // an hour later the unknown one is an orphan; the recorded one is still resumable
      UploadJanitor.Sweep later = janitor.sweep(Instant.now().plus(Duration.ofMinutes(61)), UploadJanitor.DEFAULT_UNKNOWN_AGE);
      assertThat(later.pending()).isEqualTo(2);
      assertThat(later.aborted()).extracting(UploadJanitor.Aborted::uploadId).containsExactly(unknown);
      assertThat(store.listMultipartUploads("").stream().map(PendingUpload::uploadId))
          .containsExactlyInAnyOrder(known, elsewhere);
      assertThat(journal.find("resumable").orElseThrow().parts()).containsKey(1);

      // a recorded upload untouched for a day is given up: aborted and forgotten
      assertThat(janitor.sweep(Instant.now().plus(Duration.ofHours(25)), UploadJanitor.DEFAULT_UNKNOWN_AGE).aborted())
          .extracting(UploadJanitor.Aborted::uploadId).containsExactly(known);
      assertThat(store.listMultipartUploads("media/")).isEmpty();
      assertThat(journal.find("resumable")).isEmpty();
      assertThat(unknown).isNotEqualTo(known);
      // outside the media prefix nothing is touched
      assertThat(store.listMultipartUploads("channels/")).hasSize(1);
    }
  }

  /**
   * Media keys are {@code <prefix>media/<file_unique_id>.<ext>}: a key further down, such as
   * {@code media/team-b/media/x.bin}, is another instance's (whose prefix is {@code media/team-b/})
   * and may be an upload it is still sending, hours in on a slow link. Found by the transfer sweep:
   * with an empty prefix such uploads were aborted once an hour old.
   */
  @Test
  void uploadsBelowTheMediaFolderBelongToSomethingElseAndAreNotAborted() throws Exception {
    try (Servers servers = new Servers(UnaryOperator.identity())) {
      ObjectStore store = servers.store;
      String ours = store.createMultipartUpload("media/orphan.bin", null, Map.of());
      String nested = store.createMultipartUpload("media/team-b/media/AgADbig.mp4", null, Map.of());

      UploadJanitor.Sweep s = new UploadJanitor(store, servers.catalog, Clock.systemUTC())
          .sweep(Instant.now().plus(Duration.ofHours(2)), UploadJanitor.DEFAULT_UNKNOWN_AGE);
      assertThat(s.aborted()).extracting(UploadJanitor.Aborted::uploadId).containsExactly(ours);
      assertThat(store.listMultipartUploads("").stream().map(PendingUpload::uploadId)).containsExactly(nested);
    }
  }

  @Test
  void onAServerThatCannotListOrAbortUploadsTheCatalogsOwnAreStillSweptAndNotRetriedForever() throws Exception {
    MinimalBlobStore[] limited = new MinimalBlobStore[1];
    try (Servers servers = new Servers(b -> limited[0] = new MinimalBlobStore(b))) {
      ObjectStore store = servers.store;
      Catalog catalog = servers.catalog;
      UploadJournal journal = catalog.uploadJournal();
      String stale = store.createMultipartUpload("media/stale.bin", null, Map.of());
      journal.start("stale", "media/stale.bin", stale, 5L << 20, 20L << 20);
      store.createMultipartUpload("media/orphan.bin", null, Map.of());
      UploadJanitor janitor = new UploadJanitor(store, catalog, Clock.systemUTC());

      UploadJanitor.Sweep s = janitor.sweep(Instant.now().plus(Duration.ofHours(25)), UploadJanitor.DEFAULT_UNKNOWN_AGE);
      assertThat(s.pending()).isEqualTo(-1);
      assertThat(s.unlisted()).contains("501");
      assertThat(s.aborted()).isEmpty();
      assertThat(s.failures()).isEmpty();
      assertThat(s.forgotten()).containsExactly("media/stale.bin");
      assertThat(s.summary()).contains("the server does not list them").contains("1 recorded upload(s) forgotten");
      assertThat(journal.find("stale")).isEmpty(); // not asked again every hour
      limited[0].limited = false;
      assertThat(store.listMultipartUploads("media/")).hasSize(2); // nothing could be aborted
    }
  }

  @Test
  void onAServerThatIgnoresTheListingPrefixOnlyUploadsUnderTheMediaPrefixAreAborted() throws Exception {
    // found by the transfer sweep: a server that lists every upload of the bucket whatever the
    // prefix asked (as small S3 imitations do) had another tool's uploads in the same bucket aborted
    Path root = dir.resolve("plain-s3");
    Files.createDirectories(root);
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    S3Proxy s3 = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(root.toString()))
        .endpoint(URI.create("http://127.0.0.1:" + port)).awsAuthentication(AuthenticationType.NONE, null, null).build();
    s3.start();
    while (!"STARTED".equals(s3.getState())) {
      Thread.sleep(10);
    }
    HttpServer ignoring = prefixIgnoringProxy(port);
    try (ObjectStore store = ObjectStore.connect(S3Settings.of("http://127.0.0.1:" + ignoring.getAddress().getPort(),
            "us-east-1", "shared", "backup", true, "key", "secret"));
         Catalog catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("catalog"), "", "", 2)) {
      store.ensureBucket(true);
      String ours = store.createMultipartUpload("backup/media/orphan.bin", null, Map.of());
      String theirs = store.createMultipartUpload("other-tool/media/big.iso", null, Map.of());
      String besides = store.createMultipartUpload("backup/channels/x.json", null, Map.of());
      assertThat(store.listMultipartUploads("backup/media/")).extracting(PendingUpload::uploadId).containsExactly(ours);

      UploadJanitor.Sweep s = new UploadJanitor(store, catalog, Clock.systemUTC())
          .sweep(Instant.now().plus(Duration.ofHours(2)), UploadJanitor.DEFAULT_UNKNOWN_AGE);
      assertThat(s.pending()).isEqualTo(1);
      assertThat(s.aborted()).extracting(UploadJanitor.Aborted::uploadId).containsExactly(ours);
      assertThat(store.listMultipartUploads("").stream().map(PendingUpload::uploadId))
          .containsExactlyInAnyOrder(theirs, besides);
    } finally {
      ignoring.stop(0);
      s3.stop();
    }
  }

  /** Forwards every request to {@code port} without its {@code prefix} query parameter. */
  private static HttpServer prefixIgnoringProxy(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    Set<String> restricted = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");
    HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    proxy.createContext("/", ex -> {
      try (ex) {
        String query = ex.getRequestURI().getRawQuery();
        String kept = query == null ? null : String.join("&", java.util.Arrays.stream(query.split("&"))
            .filter(q -> !q.startsWith("prefix=")).toList());
        URI target = URI.create("http://127.0.0.1:" + port + ex.getRequestURI().getRawPath()
            + (kept == null || kept.isEmpty() ? "" : "?" + kept));
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
          body = in.readAllBytes();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
            .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
          if (!restricted.contains(k.toLowerCase(java.util.Locale.ROOT))) {
            vs.forEach(v -> b.header(k, v));
          }
        });
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        r.headers().map().forEach((k, vs) -> {
          if (!restricted.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
            ex.getResponseHeaders().put(k, vs);
          }
        });
        boolean empty = r.body().length == 0 || ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(r.statusCode(), empty ? -1 : r.body().length);
        if (!empty) {
          try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    proxy.start();
    return proxy;
  }
}
