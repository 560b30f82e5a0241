package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResumableSha256Test {
  private static byte[] data(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void theTestJvmOpensTheJdkDigestsAsTheJarDoes() {
    // surefire's argLine mirrors the jar's Add-Opens; without it every other test here is moot
    assertThat(ResumableSha256.saveable()).isTrue();
  }

  @Test
  void aDigestResumedFromACheckpointInAnotherInstanceGivesTheWholeFilesHash() throws Exception {
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      byte[] file = data(1 + r.nextInt(5000), round);
      int cut = r.nextInt(file.length + 1);
      ResumableSha256 first = ResumableSha256.create();
      int pos = 0;
      while (pos < cut) { // several updates of odd sizes before the checkpoint
        int n = Math.min(cut - pos, 1 + r.nextInt(300));
        first.update(file, pos, n);
        pos += n;
      }
      String saved = first.checkpoint().orElseThrow();
      ResumableSha256 second = ResumableSha256.resume(saved, cut).orElseThrow();
      assertThat(second.bytes()).isEqualTo(cut);
      second.update(file, cut, file.length - cut);
      assertThat(second.digest()).as("round %d, %d bytes cut at %d", round, file.length, cut)
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(file));
    }
  }

  @Test
  void checkpointsDoNotDisturbTheRunningHash() throws Exception {
    byte[] file = data(1 << 20, 3);
    ResumableSha256 d = ResumableSha256.create();
    for (int off = 0; off < file.length; off += 64 * 1024) {
      d.update(file, off, 64 * 1024);
      assertThat(d.checkpoint()).isPresent();
    }
    assertThat(d.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(file));
  }

  @Test
  void aCheckpointForAnotherLengthOrDamagedIsNotUsed() {
    ResumableSha256 d = ResumableSha256.create();
    d.update(new byte[100], 0, 100);
    String saved = d.checkpoint().orElseThrow();
    assertThat(ResumableSha256.resume(saved, 100)).isPresent();
    assertThat(ResumableSha256.resume(saved, 128)).isEmpty();
    assertThat(ResumableSha256.resume(saved.substring(0, 20), 100)).isEmpty();
    assertThat(ResumableSha256.resume("not base64 at all!", 100)).isEmpty();
    assertThat(ResumableSha256.resume(null, 100)).isEmpty();
  }
}
