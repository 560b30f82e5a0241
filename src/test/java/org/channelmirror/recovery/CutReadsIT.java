package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.channelmirror.storage.ObjectStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A storage link that cuts the first read of every media object halfway through its body. Found by
 * an independent acceptance sweep (a proxy in front of moto_server cutting every 7th GET): restore
 * read each object again and finished, but {@code verify --deep} called 52 healthy objects
 * "unreadable" and {@code export} left 52 files out, both with exit status 1, because the S3 client
 * does not retry a body that breaks off once the answer has begun. Both now read such an object again.
 */
class CutReadsIT {
  @TempDir
  Path tmp;

  @Test
  void aReadCutShortIsReadAgainByVerifyAndExport() throws Exception {
    TestLogs.quiet();
    Set<String> cut = ConcurrentHashMap.newKeySet(); // keys whose next GET is cut; each only once
    try (Drill drill = Drill.start(tmp, s3 -> new ForwardingBlobStore(s3) {
          @Override
          public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            ResponseInputStream<GetObjectResponse> in = super.getBlob(request);
            if (!cut.remove(request.key())) {
              return in;
            }
            long half = in.response().contentLength() / 2;
            return new ResponseInputStream<>(in.response(), AbortableInputStream.create(new CutAt(in, half)));
          }
        });
        ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();
      java.util.List<String> media = new java.util.ArrayList<>();
      store.list(store.prefix() + "media/").forEach(o -> media.add(o.key()));
      assertThat(media).hasSize(14);

      cut.addAll(media);
      Drill.Result deep = drill.cli("verify", "--deep", "--json");
      assertThat(cut).as("every object was cut once").isEmpty();
      JsonNode report = Drill.json(deep.out());
      assertThat(report.path("counts").path("unreadable").asInt()).as(deep.out()).isZero();
      assertThat(deep.exitCode()).as(deep.out()).isZero();

      cut.addAll(media);
      Path out = tmp.resolve("export");
      Drill.Result e = drill.cli("export", "--to", out.toString());
      assertThat(cut).as("export copies the latest versions' files: all but the replaced document").hasSize(1);
      assertThat(e.exitCode()).as(e.out()).isZero();
      JsonNode result = Drill.json(Files.readString(out.resolve("result.json")));
      int files = 0;
      for (JsonNode m : result.path("messages")) {
        for (String field : new String[] {"photo", "file"}) {
          if (m.hasNonNull(field)) {
            Path f = out.resolve(m.get(field).asText());
            assertThat(f).as("message %s", m.path("id")).isRegularFile();
            files++;
          }
        }
      }
      assertThat(files).as("the files of the latest versions").isEqualTo(13);
      for (Drill.Expected x : drill.expected()) {
        if (x.sha256() != null) {
          assertThat(exportedHashes(out)).as("message %d", x.messageId()).contains(x.sha256());
        }
      }
    }
  }

  private static Set<String> exportedHashes(Path dir) throws IOException {
    Set<String> out = new java.util.HashSet<>();
    try (var files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        try {
          out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  /** A stream that fails after {@code limit} bytes, as a connection reset mid-body does. */
  private static final class CutAt extends FilterInputStream {
    private long left;

    CutAt(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("connection reset (test)");
      }
      int r = super.read(b, off, (int) Math.min(len, left));
      if (r > 0) {
        left -= r;
      }
      return r;
    }
  }
}
