package org.channelmirror.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.channelmirror.retry.Backoff;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.StorageException;

/**
 * Checks the bucket against its manifests, reading nothing else: every stored media item of
 * every manifest (all versions, so older versions stay restorable) must exist with its recorded
 * size; with {@code deep}, its content must hash to the recorded SHA-256. Objects under
 * {@code media/} that no manifest references are orphans.
 *
 * <p>A backup run stores media first and writes manifests at its end, so an object uploaded by
 * a run still in progress looks like an orphan: objects younger than {@code orphanMinAge} are
 * not reported when they look like such an upload (their {@code file-unique-id} metadata names
 * their key); any other object under {@code media/} is an orphan at any age. Each object is checked once however many manifests share it.
 *
 * <p>A backup run may also begin, or end, while this pass runs (the service's verify and backup
 * jobs firing at the same second): {@code orphanMinAge} is asked for once {@code media/} is listed,
 * not at the start, and before an object is called an orphan the manifests written since they were
 * first read are read too. Those later manifests only acquit objects; the next pass checks them.
 *
 * <p>Sizes come from one listing of {@code media/} (see {@link MediaListing}), not from a request
 * per object. An unreferenced object whose metadata names a post with an unreadable manifest is not
 * called an orphan: that manifest may be all that references it, and deleting it as a "harmless
 * leftover" would lose the file. The bad manifest's problem names it instead. A manifest the channel
 * index lists that is gone from the bucket is such a bad manifest too.
 */
public final class Verifier {
  private final BucketReader bucket;
  private final Clock clock;
  /** True once the pass is to end (the service stops): it ends at its next manifest, object or buffer. */
  private final BooleanSupplier stopped;

  public Verifier(BucketReader bucket, Clock clock) {
    this(bucket, clock, () -> false);
  }

  public Verifier(BucketReader bucket, Clock clock, BooleanSupplier stopped) {
    this.bucket = bucket;
    this.clock = clock;
    this.stopped = stopped;
  }

  /**
   * @param orphanMinAge asked once, after {@code media/} is listed: how young an object that looks like
   *     a backup run's upload may be and not be called an orphan
   */
  public VerifyReport verify(boolean deep, Supplier<Duration> orphanMinAge, Progress progress)
      throws InterruptedException {
    Instant started = clock.instant();
    ObjectStore store = bucket.store();
    List<VerifyReport.Problem> problems = new ArrayList<>();
    // object key -> what the manifests say, and the first manifest that said it
    Map<String, Expected> expected = new LinkedHashMap<>();
    Set<String> manifestsRead = new HashSet<>();
    // manifests that cannot be read, by the post they belong to
    Map<PostId, List<Damaged>> damaged = new LinkedHashMap<>();
    int manifests = 0;
    int notStored = 0;
    try (ManifestReads reads = new ManifestReads(bucket, bucket.manifestKeys(null))) {
      for (ManifestReads.Read r; (r = reads.next()) != null; ) {
        checkInterrupt();
        BucketReader.ManifestKey mk = r.key();
        manifestsRead.add(mk.key());
        if (r.bad() != null) {
          damaged.computeIfAbsent(new PostId(mk.chatId(), mk.messageId()), id -> new ArrayList<>())
              .add(new Damaged(mk, r.bad().getMessage(), new ArrayList<>()));
          continue;
        }
        PostManifest p = r.manifest();
        manifests++;
        for (MediaEntry m : p.media()) {
          if (!m.stored()) {
            notStored++;
            continue;
          }
          Expected prev = expected.putIfAbsent(m.objectKey(), new Expected(Referrer.of(p), m));
          if (prev != null && !sameContent(prev.media, m)) {
            problems.add(new VerifyReport.Problem(VerifyReport.Type.CONFLICT, m.objectKey(), p.chatId(), p.messageId(),
                prev.media.size(), m.size(), prev.media.sha256(), m.sha256(),
                "manifests disagree about this object: " + prev.post.key() + " and " + p.key()));
          }
        }
      }
    }
    // a manifest deleted from the bucket is not listed: only the channel index still names it
    for (long chatId : bucket.channels()) {
      checkInterrupt();
      for (BucketReader.ManifestKey mk : bucket.missingFromIndex(chatId, manifestsRead)) {
        damaged.computeIfAbsent(new PostId(mk.chatId(), mk.messageId()), id -> new ArrayList<>())
            .add(new Damaged(mk, BucketReader.missingManifest(mk.key()), new ArrayList<>()));
      }
    }
    // listed after the manifests were read: a backup stores media before the manifests naming them
    MediaListing media = MediaListing.of(store);
    long totalBytes = expected.values().stream().mapToLong(e -> e.media.size() == null ? 0 : e.media.size()).sum();
    progress.planned(deep ? "objects (deep)" : "objects", expected.size(), deep ? totalBytes : 0);
    long bytesRead = 0;
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      checkInterrupt();
      String key = e.getKey();
      Referrer p = e.getValue().post;
      MediaEntry m = e.getValue().media;
      Optional<ObjectInfo> found = media.find(key);
      if (found.isEmpty()) {
        problems.add(new VerifyReport.Problem(VerifyReport.Type.MISSING, key, p.chatId(), p.messageId(), m.size(),
            null, m.sha256(), null, m.kind() + " of " + p.describe() + " is missing from the bucket"));
      } else if (m.size() != null && found.get().size() != m.size()) {
        problems.add(new VerifyReport.Problem(VerifyReport.Type.CORRUPT, key, p.chatId(), p.messageId(), m.size(),
            found.get().size(), m.sha256(), null, "size is " + found.get().size() + " bytes, the manifest says "
            + m.size()));
      } else if (deep) {
        Hashed h = hash(store, key, progress);
        bytesRead += h.size;
        if (h.error != null) {
          problems.add(new VerifyReport.Problem(VerifyReport.Type.UNREADABLE, key, p.chatId(), p.messageId(), m.size(),
              h.size, m.sha256(), null, "reading it failed: " + h.error));
        } else if (m.sha256() != null && !m.sha256().equalsIgnoreCase(h.sha256)) {
          problems.add(new VerifyReport.Problem(VerifyReport.Type.CORRUPT, key, p.chatId(), p.messageId(), m.size(),
              h.size, m.sha256(), h.sha256, "content hashes to " + h.sha256 + ", the manifest says " + m.sha256()));
        } else if (h.metaSha256 != null && !h.metaSha256.equalsIgnoreCase(h.sha256)) {
          // a backup that finds this object again (a new catalog) takes its hash from that metadata
          problems.add(new VerifyReport.Problem(VerifyReport.Type.CONFLICT, key, p.chatId(), p.messageId(), m.size(),
              h.size, h.sha256, h.metaSha256, "its sha256 metadata says " + h.metaSha256 + ", but the content"
              + (m.sha256() == null ? "" : " and the manifest") + " hash to " + h.sha256));
        }
      }
      progress.items(1);
    }
    List<ObjectInfo> unreferenced = new ArrayList<>();
    for (ObjectInfo o : media.all()) {
      if (!expected.containsKey(o.key())) {
        unreferenced.add(o);
      }
    }
    // asked after the listing and before the second read of the manifests: a run that stored one of
    // these objects is either still running now, or has written its manifests before it ended
    Instant youngest = started.minus(orphanMinAge.get());
    if (!unreferenced.isEmpty()) {
      Set<String> named = namedByManifestsNotIn(manifestsRead);
      unreferenced.removeIf(o -> named.contains(o.key()));
    }
    int orphans = 0;
    for (ObjectInfo o : unreferenced) {
      checkInterrupt();
      if (o.lastModified() != null && o.lastModified().isAfter(youngest) && ownUpload(store, o.key())) {
        continue; // maybe a backup run in progress: its manifests come at the end
      }
      List<Damaged> owner = damaged.isEmpty() ? null : damaged.get(carrier(store, o.key()));
      if (owner != null) {
        owner.forEach(d -> d.objects.add(o.key())); // the damaged manifest may be all that names it
        continue;
      }
      orphans++;
      problems.add(new VerifyReport.Problem(VerifyReport.Type.ORPHAN, o.key(), null, null, null, o.size(), null,
          null, "no manifest references this object"));
    }
    List<VerifyReport.Problem> badManifests = new ArrayList<>();
    damaged.values().forEach(list -> list.forEach(d -> badManifests.add(d.problem())));
    problems.addAll(0, badManifests);
    return new VerifyReport(deep, manifests, expected.size(), bytesRead, notStored, orphans, problems,
        Duration.between(started, clock.instant()));
  }

  /**
   * The post an object's metadata names as its first carrier ({@code chat-id}, {@code message-id}),
   * or null when it names none or cannot be asked.
   */
  private static PostId carrier(ObjectStore store, String key) {
    try {
      Map<String, String> meta = store.head(key).map(ObjectInfo::userMetadata).orElse(Map.of());
      return new PostId(Long.parseLong(meta.get("chat-id")), Long.parseLong(meta.get("message-id")));
    } catch (StorageException | NumberFormatException e) { // parseLong(null) too
      return null;
    }
  }

  private record PostId(long chatId, long messageId) {}

  /** An unreadable manifest, and the unreferenced objects whose metadata names its post. */
  private record Damaged(BucketReader.ManifestKey key, String reason, List<String> objects) {
    VerifyReport.Problem problem() {
      String detail = objects.isEmpty() ? reason : reason + "; not called orphans, as their metadata names this"
          + " post and this manifest may be all that references them: " + String.join(", ", objects);
      return new VerifyReport.Problem(VerifyReport.Type.BAD_MANIFEST, key.key(), key.chatId(), key.messageId(),
          null, null, null, null, detail);
    }
  }

  /**
   * The object keys of stored media named by manifests that are not in {@code read}: those a backup
   * run wrote after this pass read the manifests. One that cannot be read names nothing (the next
   * pass reports it).
   */
  private Set<String> namedByManifestsNotIn(Set<String> read) throws InterruptedException {
    Set<String> named = new HashSet<>();
    for (BucketReader.ManifestKey mk : bucket.manifestKeys(null)) {
      checkInterrupt();
      if (read.contains(mk.key())) {
        continue;
      }
      try {
        for (MediaEntry m : bucket.read(mk.key()).media()) {
          if (m.stored()) {
            named.add(m.objectKey());
          }
        }
      } catch (BucketReader.BadManifestException e) {
        // not this pass's to judge: it was written after the pass began
      }
    }
    return named;
  }

  /**
   * Whether a young unreferenced object looks like one a backup run stores: its {@code file-unique-id}
   * metadata names the key it sits at. Anything else (a stray upload, a copy under another name) can
   * belong to no run in progress and is an orphan at any age.
   */
  private static boolean ownUpload(ObjectStore store, String key) {
    Optional<ObjectInfo> head;
    try {
      head = store.head(key);
    } catch (StorageException e) {
      return true; // cannot tell: give it the benefit of the doubt, as before
    }
    if (head.isEmpty()) {
      return true; // gone since the listing: nothing to report
    }
    String uid = head.get().userMetadata().get("file-unique-id");
    if (uid == null || uid.isEmpty()) {
      return false;
    }
    String base = ObjectKeys.mediaFolder(store.prefix()) + ObjectKeys.escapeSegment(uid);
    return key.equals(base) || (key.startsWith(base + ".") && key.indexOf('.', base.length() + 1) < 0);
  }

  /**
   * What reports need of the manifest that first named an object. Not the manifest itself: its raw
   * message would keep every post's JSON in memory until the end of the check.
   */
  private record Referrer(String key, long chatId, long messageId, String describe) {
    static Referrer of(PostManifest p) {
      return new Referrer(p.key(), p.chatId(), p.messageId(), p.describe());
    }
  }

  private record Expected(Referrer post, MediaEntry media) {}

  /** What a deep check read: size, content hash, the object's {@code sha256} metadata (null: none). */
  private record Hashed(long size, String sha256, String metaSha256, String error) {}

  private static boolean sameContent(MediaEntry a, MediaEntry b) {
    return java.util.Objects.equals(a.size(), b.size())
        && (a.sha256() == null || b.sha256() == null || a.sha256().equalsIgnoreCase(b.sha256()));
  }

  /**
   * Reads an object whole and hashes it. A read cut short (a connection reset mid-body, which the S3
   * client does not retry once the answer has begun) is read again from the start, up to
   * {@link #READ_ATTEMPTS} times: over a flaky link a healthy object is not "unreadable".
   */
  private Hashed hash(ObjectStore store, String key, Progress progress) throws InterruptedException {
    long reported = 0; // bytes already shown in progress, so a read again does not count them twice
    for (int attempt = 1; ; attempt++) {
      MessageDigest md = sha256();
      long n = 0;
      String meta;
      try (InputStream in = store.get(key)) {
        meta = ObjectStore.userMetadataOf(in).get("sha256");
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) >= 0; ) {
          checkInterrupt(); // a deep pass reads objects of gigabytes
          md.update(buf, 0, r);
          n += r;
          if (n > reported) {
            progress.bytes(n - reported);
            reported = n;
          }
        }
      } catch (IOException | StorageException e) {
        boolean transient_ = !(e instanceof StorageException se) || se.retryable();
        if (!transient_ || attempt >= READ_ATTEMPTS) {
          return new Hashed(n, null, null, e.getMessage());
        }
        Backoff.sleep(Duration.ofSeconds(1), attempt, Duration.ofSeconds(10));
        continue;
      }
      return new Hashed(n, HexFormat.of().formatHex(md.digest()), meta, null);
    }
  }

  /** Reads of one object before it is called unreadable (or, in export, not copied). */
  static final int READ_ATTEMPTS = 3;

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private void checkInterrupt() throws InterruptedException {
    if (Thread.interrupted() || stopped.getAsBoolean()) {
      throw new InterruptedException("verify interrupted");
    }
  }
}
