package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.channelmirror.fakebot.SentMessage;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Restore from a bucket where one media object was deleted and another damaged (same size, other
 * bytes). Found by an independent acceptance sweep (S3Mock): the damaged file was posted as it was,
 * without a word, and the missing one was retried for a minute and then stopped the whole run
 * ("nothing was posted, run the same command again"), so no later post was restored at all. Each
 * file is checked as it streams to Telegram (CheckedObject), so the bucket is read once per file.
 */
class RestoreDamagedBucketIT {
  @TempDir
  Path tmp;

  @Test
  void missingAndDamagedFilesAreReportedAndEverythingElseIsRestored() throws Exception {
    TestLogs.quiet();
    Map<String, Integer> mediaGets = new ConcurrentHashMap<>();
    try (Drill drill = Drill.start(tmp, s3 -> new ForwardingBlobStore(s3) {
          @Override
          public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            if (request.key().contains("media/")) {
              mediaGets.merge(request.key(), 1, Integer::sum);
            }
            return super.getBlob(request);
          }
        });
        ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      List<String> media = new ArrayList<>();
      for (ObjectInfo o : store.list(store.prefix() + "media/")) {
        media.add(o.key());
      }
      String deleted = media.get(0);
      String flipped = media.get(1);
      store.delete(deleted);
      Path file = drill.objectFile(flipped);
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.seek(f.length() / 2);
        int b = f.read();
        f.seek(f.length() / 2);
        f.write(b ^ 0xff);
      }
      String damagedSha = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));

      long target = drill.target(-1002000000101L);
      // the dry run names the file that is gone (one listing of media/, no GET of any file)
      Drill.Result dry = drill.cli("restore", "--to", Long.toString(target), "--dry-run");
      assertThat(dry.exitCode()).as(dry.out()).isZero();
      assertThat(dry.out()).contains(deleted + " is missing from the bucket");
      assertThat(mediaGets).isEmpty();
      assertThat(drill.api.sent(target)).isEmpty();
      mediaGets.clear();
      Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      // each file is read once: checked as it is sent, not read a first time to check it; only the
      // other files of an album holding a bad one are read again, to name every bad file at once
      assertThat(mediaGets).hasSizeGreaterThan(10);
      assertThat(mediaGets.values()).as("GETs per media object: %s", mediaGets).allMatch(n -> n <= 2);
      assertThat(mediaGets.values().stream().filter(n -> n == 2).count()).as("GETs per media object: %s", mediaGets)
          .isLessThanOrEqualTo(4);
      assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
      assertThat(r.out()).doesNotContain("STOPPED")
          .contains(deleted + " is missing from the bucket", flipped + " is damaged in the bucket");

      List<SentMessage> sent = drill.api.sent(target);
      assertThat(sent).extracting(SentMessage::sha256Hex).doesNotContain(damagedSha);
      List<Drill.Expected> expected = drill.expected();
      Drill.Expected last = expected.get(expected.size() - 1);
      SentMessage lastSent = sent.get(sent.size() - 1);
      assertThat(last.kind() == null ? lastSent.text() : lastSent.caption())
          .as("the posts after the damaged ones were restored too").isEqualTo(last.text());
      assertThat(sent.size()).as("only the posts with the two files are missing").isBetween(
          expected.size() - 6, expected.size() - 1);

      Drill.Result again = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(drill.api.sent(target)).as("a rerun posts nothing twice").hasSize(sent.size());
    }
  }
}
