package org.channelmirror.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog contract: every public method of {@link Catalog} with real data, run against each
 * database the catalog supports ({@link CatalogH2IT}, {@link CatalogPostgresIT}). Each test gets
 * a fresh, empty database.
 */
abstract class CatalogContract {
  private static final Logger log = LoggerFactory.getLogger(CatalogContract.class);

  static final long CHAT = -1001234567890L;
  static final long BOT = 123456789L;
  /** Sorts before {@link #CHAT}: chat ids of channels are negative. */
  static final long OTHER_CHAT = -1009876543210L;
  static final long NEVER_SEEN = -1005555555555L;
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  /** Where one test's catalog lives. */
  record Database(String url, String user, String password) {}

  /** A fresh, empty database for one test. */
  abstract Database freshDatabase() throws Exception;

  /** Releases what {@link #freshDatabase} made; the catalog is closed by then. */
  void dispose(Database db) throws Exception {}

  private Database db;
  Catalog catalog;

  @BeforeEach
  void openCatalog() throws Exception {
    db = freshDatabase();
    catalog = open();
  }

  @AfterEach
  void closeCatalog() throws Exception {
    if (catalog != null) {
      catalog.close();
    }
    if (db != null) {
      dispose(db);
    }
  }

  private Catalog open() {
    return Catalog.open(db.url(), db.user(), db.password(), 4);
  }

  // ---------------------------------------------------------------- intake

  @Test
  void anEmptyCatalogHasNothing() {
    assertThat(catalog.nextOffset(BOT)).isZero();
    assertThat(catalog.dueBlobs(BOT, T0, 10)).isEmpty();
    assertThat(catalog.dirtyManifests(10)).isEmpty();
    assertThat(catalog.indexEntries(CHAT)).isEmpty();
    assertThat(catalog.problems(BOT)).isEmpty();
    assertThat(catalog.lastRuns()).isEmpty();
    assertThat(catalog.lastFinishedStart("backup")).isEmpty();
    assertThat(catalog.warnings(10)).isEmpty();
    assertThat(catalog.rejectedUpdates()).isZero();
    assertThat(catalog.objectKey("nothing")).isEmpty();
    assertThat(catalog.channelStatus(List.of(CHAT))).containsExactly(
        new ChannelStatus(CHAT, null, null, 0, 0, media(0, 0, 0, 0), 0));
  }

  @Test
  void commitKeepsEachVersionVerbatimAndConfirmsTheOffset() {
    PostVersion text = post(CHAT, 1, 0, "h1");
    PostVersion album = new PostVersion(CHAT, 2, 0, "h2", 1_700_000_002L, "album-7", 102,
        "{\"message_id\":2,\"caption\":\"caf\u00e9 \u2615\"}",
        List.of(photo("P1", "file-p1"), new MediaRef(MediaKind.DOCUMENT, "D1", "file-d1", null, null,
            "r\u00e9sum\u00e9 (final).pdf", null, null, null)));

    assertThat(catalog.commit(batch(103, text, album))).isEqualTo(2);

    assertThat(catalog.nextOffset(BOT)).isEqualTo(103);
    List<ManifestSource> dirty = catalog.dirtyManifests(10);
    assertThat(dirty).extracting(ManifestSource::version).containsExactly(text, album);
    assertThat(dirty.get(0).versionId()).isLessThan(dirty.get(1).versionId());
    assertThat(dirty.get(1).items()).extracting(ManifestSource.Item::state, ManifestSource.Item::objectKey)
        .containsExactly(tuple(BlobState.PENDING, null),
            tuple(BlobState.PENDING, null));
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId).containsExactlyInAnyOrder("P1", "D1");
    Blob doc = catalog.dueBlobs(BOT, T0, 10).stream().filter(b -> b.fileUniqueId().equals("D1")).findFirst().orElseThrow();
    assertThat(doc).isEqualTo(new Blob("D1", BlobState.PENDING, MediaKind.DOCUMENT, "file-d1", null, null,
        "r\u00e9sum\u00e9 (final).pdf", CHAT, 2, 0));
    // what a run plans with: both files, and the bytes of the one whose size Telegram announced
    assertThat(catalog.due(BOT, T0)).isEqualTo(new Catalog.Due(2, 2048));
  }

  @Test
  void aThreadAlreadyInterruptedCanStillWriteAndKeepsItsInterrupt() {
    // a stop interrupts transfer threads, which then record what they did in a finally; H2 closes
    // its file, and with it the whole database, when an interrupted thread touches it
    Thread.currentThread().interrupt();
    try {
      catalog.commit(batch(11, post(CHAT, 1, 0, "h1", photo("P1", "file-id-a"))));
      assertThat(Thread.currentThread().isInterrupted()).as("the caller's interrupt is kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    catalog.commit(batch(12, post(CHAT, 2, 0, "h2")));
    assertThat(catalog.nextOffset(BOT)).isEqualTo(12);
  }

  @Test
  void threadsInterruptedWhileTheyWriteLeaveEveryWriteInPlace() throws Exception {
    // an interrupt can land while a statement is in H2's file I/O, not only before it; through a
    // plain FileChannel that closed the database for the whole process at the first one
    int threads = 3;
    int batches = 150;
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(threads);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      // a channel and a bot of its own each: intake's commits do not race each other (one lock)
      long chat = CHAT - 1 - t;
      long bot = BOT + 1 + t;
      Thread w = new Thread(() -> {
        started.countDown();
        for (int i = 0; i < batches; i++) {
          try {
            catalog.commit(new IntakeBatch(List.of(post(chat, 1 + i, 0, "h")), List.of(), List.of(),
                List.of(), bot, i + 1));
          } catch (RuntimeException e) {
            failures.add(e);
          }
          Thread.interrupted();
        }
      }, "writer-" + t);
      writers.add(w);
      w.start();
    }
    started.await();
    while (writers.stream().anyMatch(Thread::isAlive)) {
      writers.forEach(Thread::interrupt);
      Thread.sleep(0, 200_000);
    }
    assertThat(failures).as("writes that failed").isEmpty();
    for (int t = 0; t < threads; t++) {
      assertThat(catalog.nextOffset(BOT + 1 + t)).isEqualTo(batches);
      assertThat(catalog.channelStatus(List.of(CHAT - 1 - t)).get(0).posts()).isEqualTo(batches);
    }
  }

  @Test
  void aNulCharacterDoesNotFailTheBatch() {
    MediaRef odd = new MediaRef(MediaKind.DOCUMENT, "D1", "file-d1", 1L, "text/plain", "a\0b.txt", null, null, null);
    assertThat(catalog.commit(new IntakeBatch(List.of(post(CHAT, 1, 0, "h1", odd)),
        List.of(new IntakeBatch.ChannelSeen(CHAT, "Cats\0", null, null, 0)), List.of(), List.of(), BOT, 2))).isEqualTo(1);

    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileName).containsExactly("a\uFFFDb.txt");
    assertThat(catalog.channelStatus(List.of(CHAT)).get(0).title()).isEqualTo("Cats\uFFFD");
  }

  @Test
  void replayingABatchAddsNothing() {
    IntakeBatch batch = new IntakeBatch(
        List.of(post(CHAT, 1, 0, "h1", photo("P1", "file-p1")), post(CHAT, 2, 0, "h2")),
        List.of(new IntakeBatch.ChannelSeen(CHAT, "Cats", "cats", null, 0)),
        List.of(new IntakeBatch.Rejected(7, "no message", "{\"update_id\":7}")),
        List.of(), BOT, 8);
    assertThat(catalog.commit(batch)).isEqualTo(2);
    Map<String, Long> before = rowCounts();

    assertThat(catalog.commit(batch)).isZero();

    assertThat(rowCounts()).isEqualTo(before)
        .containsEntry("post_versions", 2L).containsEntry("media_items", 1L).containsEntry("blobs", 1L)
        .containsEntry("rejected_updates", 1L).containsEntry("channels", 1L);
    assertThat(catalog.nextOffset(BOT)).isEqualTo(8);
  }

  @Test
  void sameContentWithAnotherFileIdIsTheSameVersion() {
    catalog.commit(batch(11, post(CHAT, 1, 0, "h1", photo("P1", "file-id-a"))));

    PostVersion again = new PostVersion(CHAT, 1, 0, "h1", 1_700_000_001L, null, 55, "{\"message_id\":1}",
        List.of(photo("P1", "file-id-b")));
    assertThat(catalog.commit(batch(56, again))).isZero();

    assertThat(rowCounts()).containsEntry("post_versions", 1L).containsEntry("blobs", 1L);
    assertThat(catalog.nextOffset(BOT)).isEqualTo(56);
  }

  @Test
  void theOffsetFollowsWhatTelegramAnswered() {
    catalog.commit(batch(10));
    assertThat(catalog.nextOffset(BOT)).isEqualTo(10);
    catalog.commit(batch(12));
    assertThat(catalog.nextOffset(BOT)).isEqualTo(12);
    // the queue's ids restarted lower (a random id after a week without updates): follow them,
    // or the next call would ask for the same head of the queue again, forever
    catalog.commit(batch(5));
    assertThat(catalog.nextOffset(BOT)).isEqualTo(5);
  }

  @Test
  void aBotWithoutAnOffsetStartsFromTheCatalogsOffsetOfBeforeSchema5() throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
         java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("insert into poll_state (id, next_offset) values (1, 42)");
    }
    assertThat(catalog.nextOffset(BOT)).isEqualTo(42);
    catalog.commit(batch(43));
    assertThat(catalog.nextOffset(BOT)).isEqualTo(43);
  }

  @Test
  void eachBotHasItsOwnOffset() {
    long otherBot = 987654321L;
    catalog.commit(batch(500));
    catalog.commit(new IntakeBatch(List.of(), List.of(), List.of(), List.of(), otherBot, 7_000));
    assertThat(catalog.nextOffset(BOT)).isEqualTo(500);
    assertThat(catalog.nextOffset(otherBot)).isEqualTo(7_000);
    catalog.commit(batch(501));
    assertThat(catalog.nextOffset(otherBot)).isEqualTo(7_000);
    catalog.commit(batch(0)); // no offset: leaves it
    assertThat(catalog.nextOffset(BOT)).isEqualTo(501);
  }

  @Test
  void recentVersionsAreNewestFirstWithTheirMediaAndManifest() {
    catalog.commit(batch(3, post(CHAT, 1, 0, "h1", photo("P1", "file-p1"), video("V1", 300)), post(CHAT, 2, 0, "h2")));
    catalog.commit(batch(4, post(OTHER_CHAT, 7, 0, "o7", photo("P2", "file-p2"))));
    catalog.markStored("P1", "media/P1", 2048, "aa".repeat(32));

    List<RecentVersion> all = catalog.recentVersions(null, 10);
    assertThat(all).extracting(RecentVersion::messageId).containsExactly(7L, 2L, 1L);
    RecentVersion first = all.get(2);
    assertThat(first.media()).isEqualTo(2);
    assertThat(first.mediaStored()).isEqualTo(1);
    assertThat(first.manifestKey()).as("not written yet").isNull();
    assertThat(first.rawJson()).contains("\"message_id\":1");
    assertThat(catalog.recentVersions(CHAT, 1)).extracting(RecentVersion::messageId).containsExactly(2L);

    catalog.dirtyManifests(10).forEach(m -> catalog.markManifestWritten(m.versionId(), "posts/" + m.version().messageId()));
    assertThat(catalog.recentVersions(CHAT, 10)).extracting(RecentVersion::manifestKey).containsExactly("posts/2", "posts/1");
  }

  @Test
  void anEditIsASecondVersion() {
    PostVersion original = post(CHAT, 1, 0, "h1");
    PostVersion edit = post(CHAT, 1, 1_700_000_500L, "h2");
    catalog.commit(batch(2, original));

    assertThat(catalog.commit(batch(3, edit))).isEqualTo(1);
    assertThat(catalog.commit(batch(3, edit))).isZero();

    assertThat(catalog.dirtyManifests(10)).extracting(ManifestSource::version).containsExactly(original, edit);
    ChannelStatus status = catalog.channelStatus(List.of(CHAT)).get(0);
    assertThat(status.posts()).isEqualTo(1);
    assertThat(status.versions()).isEqualTo(2);
  }

  @Test
  void blobsDedupeByFileUniqueId() {
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1", photo("SAME", "file-id-a"))));
    catalog.commit(batch(3, post(OTHER_CHAT, 9, 0, "h9", photo("SAME", "file-id-b"), photo("P2", "file-p2"))));

    assertThat(rowCounts()).containsEntry("blobs", 2L).containsEntry("media_items", 3L);
    Blob same = catalog.dueBlobs(BOT, T0, 10).stream().filter(b -> b.fileUniqueId().equals("SAME")).findFirst()
        .orElseThrow();
    // the first post that carried the file owns it; a newer file_id is kept for downloading
    assertThat(same.chatId()).isEqualTo(CHAT);
    assertThat(same.messageId()).isEqualTo(1);
    assertThat(same.fileId()).isEqualTo("file-id-b");

    catalog.markStored("SAME", "media/SAME", 1000, "ab".repeat(32));
    catalog.commit(batch(4, post(CHAT, 2, 0, "h2", photo("SAME", "file-id-c"))));
    assertThat(rowCounts()).containsEntry("blobs", 2L);
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId).containsExactly("P2");
  }

  @Test
  void eachBotFetchesTheFilesItReceivedWithItsOwnFileId() {
    long otherBot = 987654321L;
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1", photo("MINE", "mine-1"), photo("SHARED", "shared-mine"))));
    catalog.commit(new IntakeBatch(List.of(post(OTHER_CHAT, 5, 0, "h5", photo("THEIRS", "theirs-5"),
        photo("SHARED", "shared-theirs"))), List.of(), List.of(), List.of(), otherBot, 9));

    // file_ids are per bot: each sees its own files, and the shared one with the file_id it received
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId, Blob::fileId)
        .containsExactlyInAnyOrder(tuple("MINE", "mine-1"), tuple("SHARED", "shared-mine"));
    assertThat(catalog.dueBlobs(otherBot, T0, 10)).extracting(Blob::fileUniqueId, Blob::fileId)
        .containsExactlyInAnyOrder(tuple("THEIRS", "theirs-5"), tuple("SHARED", "shared-theirs"));
    assertThat(catalog.due(BOT, T0)).isEqualTo(new Catalog.Due(2, 4096));
    // a bot that received none of them has nothing to fetch; status still lists all three
    assertThat(catalog.dueBlobs(42L, T0, 10)).isEmpty();
    assertThat(catalog.due(42L, T0)).isEqualTo(new Catalog.Due(0, 0));
    assertThat(catalog.problems(BOT)).extracting(Problem::fileUniqueId, p -> p.reason() != null)
        .containsExactlyInAnyOrder(tuple("MINE", false), tuple("SHARED", false), tuple("THEIRS", true));
    assertThat(catalog.problems(BOT).stream().filter(p -> p.reason() != null).findFirst().orElseThrow().reason())
        .contains("another bot");

    // a newer post of the same file gives its bot the newer file_id
    catalog.commit(batch(3, post(CHAT, 2, 0, "h2", photo("MINE", "mine-2"))));
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId, Blob::fileId)
        .contains(tuple("MINE", "mine-2"));
  }

  @Test
  void backfillKnowsTheJournaledIdsAndTheGapsItFound() {
    catalog.commit(batch(2, post(CHAT, 3, 0, "h3"), post(CHAT, 3, 100, "h3e"), post(CHAT, 7, 0, "h7"),
        post(OTHER_CHAT, 5, 0, "h5")));
    assertThat(catalog.knownMessageIds(CHAT, 1, 6)).containsExactly(3L);
    assertThat(catalog.maxMessageId(CHAT)).isEqualTo(7);

    catalog.addBackfillGap(CHAT, 4);
    catalog.addBackfillGap(CHAT, 4); // a recheck finds it empty again
    catalog.addBackfillGap(CHAT, 9);
    catalog.addBackfillGap(OTHER_CHAT, 4);
    assertThat(catalog.backfillGaps(CHAT, 1, 8)).containsExactly(4L);
    assertThat(catalog.backfillGaps(CHAT, 1, 100)).containsExactlyInAnyOrder(4L, 9L);
    assertThat(catalog.backfillGaps(NEVER_SEEN, 1, 100)).isEmpty();
  }

  @Test
  void referencesOfUnknownOriginAreFetchableByAnyBot() {
    // rebuilt from the bucket (reindex) or received before schema 6: no bot recorded
    catalog.importVersion(post(CHAT, 7, 0, "h7"), "channels/" + CHAT + "/posts/7.json", T0, "Cats", null,
        List.of(new Catalog.ImportedItem(photo("OLD", "old-id"), BlobState.PENDING, null, null, null, null)));
    catalog.commit(batch(2, post(OTHER_CHAT, 1, 0, "h1", photo("OLD", "old-id-bot"))));

    // its own reference first; another bot falls back to the reference of unknown origin
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId, Blob::fileId)
        .containsExactly(tuple("OLD", "old-id-bot"));
    assertThat(catalog.dueBlobs(42L, T0, 10)).extracting(Blob::fileUniqueId, Blob::fileId)
        .containsExactly(tuple("OLD", "old-id"));
  }

  @Test
  void channelsKeepTheNewestBotStatus() {
    catalog.commit(channels(new IntakeBatch.ChannelSeen(CHAT, "Cats", "cats", "administrator", 100)));
    // an older membership update, and one without title or username, change nothing
    catalog.commit(channels(new IntakeBatch.ChannelSeen(CHAT, null, null, "left", 50)));
    assertThat(catalog.channelStatus(List.of(CHAT))).extracting(ChannelStatus::title, ChannelStatus::botStatus)
        .containsExactly(tuple("Cats", "administrator"));

    catalog.commit(channels(new IntakeBatch.ChannelSeen(CHAT, "Cats & Dogs", null, null, 0)));
    catalog.commit(channels(new IntakeBatch.ChannelSeen(CHAT, null, null, "kicked", 200)));
    assertThat(catalog.channelStatus(List.of(CHAT))).extracting(ChannelStatus::title, ChannelStatus::botStatus)
        .containsExactly(tuple("Cats & Dogs", "kicked"));
  }

  @Test
  void rejectedUpdatesAreKeptOnceWithTheirReason() {
    String longReason = "x".repeat(2500);
    IntakeBatch batch = new IntakeBatch(List.of(), List.of(), List.of(
        new IntakeBatch.Rejected(41, "channel_post without chat", "{\"update_id\":41}"),
        new IntakeBatch.Rejected(42, longReason, "{\"update_id\":42}")), List.of(), BOT, 43);
    catalog.commit(batch);
    catalog.commit(batch);

    assertThat(catalog.rejectedUpdates()).isEqualTo(2);
    assertThat(catalog.countBy("select reason, count(*) from rejected_updates group by reason"))
        .containsOnlyKeys("channel_post without chat", "x".repeat(2000));
  }

  @Test
  void aPostThatArrivesInsideAReportedGapNarrowsIt() {
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1"), post(CHAT, 6, 0, "h6")));
    assertThat(gaps()).containsExactly("messages 2-5");
    // backfill fetched it, or webhook deliveries came out of order
    catalog.commit(batch(3, post(CHAT, 3, 0, "h3")));
    assertThat(gaps()).containsExactlyInAnyOrder("message 2", "messages 4-5");
    catalog.commit(batch(4, post(CHAT, 2, 0, "h2"), post(CHAT, 5, 0, "h5"), post(CHAT, 3, 100, "h3e")));
    assertThat(gaps()).containsExactly("message 4");
    catalog.commit(batch(5, post(CHAT, 4, 0, "h4")));
    assertThat(gaps()).isEmpty();
  }

  /**
   * A post intake could not understand reached the bot: it is in rejected_updates (and in status as
   * such), so it is no gap. Messages 2-3 rejected, then 4: the gap warning said "messages 2-3
   * never reached the bot (deleted, or posted while channel-mirror was down)", which sends the owner
   * looking in the wrong place.
   */
  @Test
  void aRejectedPostIsNoGap() {
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1")));
    catalog.commit(new IntakeBatch(List.of(), List.of(), List.of(
        new IntakeBatch.Rejected(3, "photo is not a non-empty array of sizes", "{\"update_id\":3,\"channel_post\":"
            + "{\"message_id\":2,\"chat\":{\"id\":" + CHAT + ",\"type\":\"channel\"},\"date\":1,\"photo\":[]}}"),
        new IntakeBatch.Rejected(4, "odd", "{\"update_id\":4,\"channel_post\":"
            + "{\"message_id\":4,\"chat\":{\"id\":" + CHAT + ",\"type\":\"channel\"},\"date\":1}}")),
        List.of(), BOT, 5));
    assertThat(gaps()).containsExactly("message 3");
    catalog.commit(batch(6, post(CHAT, 5, 0, "h5"), post(CHAT, 3, 0, "h3")));
    assertThat(gaps()).isEmpty();
  }

  private List<String> gaps() {
    return catalog.warnings(100).stream().filter(w -> w.kind().equals("gap")).map(w -> {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(messages? [0-9-]+) never reached").matcher(w.message());
      assertThat(m.find()).as(w.message()).isTrue();
      return m.group(1);
    }).toList();
  }

  @Test
  void warningsAreListedNewestFirst() {
    catalog.commit(new IntakeBatch(List.of(), List.of(), List.of(),
        List.of(new IntakeBatch.Warning(CHAT, "BOT_REMOVED", "the bot was removed from Cats")), BOT, 1));
    catalog.addWarning(new IntakeBatch.Warning(null, "FOREIGN_CHAT", "left chat -100777"));
    catalog.addWarning(new IntakeBatch.Warning(OTHER_CHAT, "GAP", "w".repeat(5000)));

    List<IntakeBatch.Warning> warnings = catalog.warnings(10);
    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(0).message()).hasSize(4000);
    assertThat(warnings.subList(1, 3)).containsExactly(
        new IntakeBatch.Warning(null, "FOREIGN_CHAT", "left chat -100777"),
        new IntakeBatch.Warning(CHAT, "BOT_REMOVED", "the bot was removed from Cats"));
    assertThat(catalog.warnings(1)).extracting(IntakeBatch.Warning::kind).containsExactly("GAP");
  }

  @Test
  void reopeningKeepsEverything() {
    catalog.commit(batch(21, post(CHAT, 1, 0, "h1", photo("P1", "file-p1"))));
    catalog.close();

    catalog = open();

    assertThat(catalog.nextOffset(BOT)).isEqualTo(21);
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId).containsExactly("P1");
    assertThat(catalog.commit(batch(22, post(CHAT, 2, 0, "h2")))).isEqualTo(1);
  }

  // ---------------------------------------------------------------- backup

  @Test
  void dueBlobsAreOldestFirstAndLimited() {
    for (String id : List.of("A", "B", "C")) {
      catalog.commit(batch(1, post(CHAT, id.charAt(0), 0, "h" + id, photo(id, "file-" + id))));
    }
    assertThat(catalog.dueBlobs(BOT, T0, 2)).extracting(Blob::fileUniqueId).containsExactly("A", "B");
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId).containsExactly("A", "B", "C");
  }

  @Test
  void markStoredFinishesABlob() {
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1", photo("P1", "file-p1"))));
    assertThat(catalog.objectKey("P1")).isEmpty();

    catalog.markStored("P1", "media/-1001234567890/P1.jpg", 123_456, "cd".repeat(32));

    assertThat(catalog.dueBlobs(BOT, T0.plusSeconds(3600), 10)).isEmpty();
    assertThat(catalog.objectKey("P1")).contains("media/-1001234567890/P1.jpg");
    assertThat(catalog.problems(BOT)).isEmpty();
    ManifestSource.Item item = catalog.dirtyManifests(10).get(0).items().get(0);
    assertThat(item).isEqualTo(new ManifestSource.Item(photo("P1", "file-p1"), BlobState.STORED,
        "media/-1001234567890/P1.jpg", 123_456L, "cd".repeat(32), null));
  }

  @Test
  void aStoredFileWhoseObjectWentIsDueAgainUnderItsKey() {
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1", photo("P1", "file-p1"), photo("P2", "file-p2"))));
    catalog.markStored("P1", "media/P1.jpg", 1_234, "cd".repeat(32));
    catalog.dirtyManifests(10).forEach(m -> catalog.markManifestWritten(m.versionId(), "manifests/1"));
    assertThat(catalog.storedSizeAt("media/P1.jpg")).contains(1_234L);
    assertThat(catalog.storedSizeAt("media/P2.jpg")).isEmpty();
    assertThat(catalog.requeueStoredAt("media/P2.jpg", "gone")).isFalse();

    assertThat(catalog.requeueStoredAt("media/P1.jpg", "the server dropped it")).isTrue();

    assertThat(catalog.storedSizeAt("media/P1.jpg")).isEmpty();
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId).containsExactly("P1", "P2");
    assertThat(catalog.objectKey("P1")).contains("media/P1.jpg");
    assertThat(catalog.problems(BOT)).extracting(Problem::reason).contains("the server dropped it");
    assertThat(catalog.dirtyManifests(10)).hasSize(1); // its post's manifest says so too
  }

  @Test
  void aRunIsInProgressWhileRecordedRunningAndHeardFrom() {
    Instant now = Instant.now();
    assertThat(catalog.runInProgress("backup", now)).isFalse();
    long run = catalog.startJob("backup");
    assertThat(catalog.runInProgress("backup", now)).isTrue();
    assertThat(catalog.runInProgress("verify", now)).isFalse();
    // silent past LiveProgress.SILENCE: its process died
    assertThat(catalog.runInProgress("backup", now.plus(LiveProgress.SILENCE).plusSeconds(5))).isFalse();
    catalog.finishJob(run, "OK", 0, 0, 0, "done");
    assertThat(catalog.runInProgress("backup", now)).isFalse();
  }

  @Test
  void aFailedBlobWaitsForItsNextAttempt() {
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1", photo("P1", "file-p1"))));

    catalog.markFailed("P1", "connection reset", T0.plusSeconds(60), "cloud x");

    assertThat(catalog.dueBlobs(BOT, T0, 10)).isEmpty();
    assertThat(catalog.dueBlobs(BOT, T0.plusSeconds(59), 10)).isEmpty();
    assertThat(catalog.dueBlobs(BOT, T0.plusSeconds(60), 10)).extracting(Blob::state, Blob::attempts)
        .containsExactly(tuple(BlobState.FAILED, 1));
    assertThat(catalog.problems(BOT)).containsExactly(
        new Problem(CHAT, 1, "P1", MediaKind.PHOTO, BlobState.FAILED, "connection reset", T0.plusSeconds(60)));

    catalog.markFailed("P1", "e".repeat(5000), T0.plusSeconds(120), "cloud x");
    assertThat(catalog.dueBlobs(BOT, T0.plusSeconds(60), 10)).isEmpty();
    assertThat(catalog.dueBlobs(BOT, T0.plusSeconds(120), 10)).extracting(Blob::attempts).containsExactly(2);
    assertThat(catalog.problems(BOT).get(0).reason()).hasSize(4000);

    catalog.markStored("P1", "media/P1", 10, "ef".repeat(32));
    assertThat(catalog.dueBlobs(BOT, T0.plusSeconds(3600), 10)).isEmpty();
    assertThat(catalog.problems(BOT)).isEmpty();
  }

  @Test
  void aTooBigBlobIsRequeuedOnlyUnderAnotherMode() {
    catalog.commit(batch(3, post(CHAT, 1, 0, "h1", video("V1", 30_000_000L)), post(CHAT, 2, 0, "h2",
        video("V2", 40_000_000L))));
    String reason = "file is too big for the cloud Bot API (30 MB > 20 MB): run a local telegram-bot-api server";

    catalog.markTooBig("V1", reason, "cloud");
    catalog.markTooBig("V2", "refused", null);

    assertThat(catalog.dueBlobs(BOT, T0, 10)).isEmpty();
    assertThat(catalog.problems(BOT)).containsExactly(
        new Problem(CHAT, 1, "V1", MediaKind.VIDEO, BlobState.TOO_BIG, reason),
        new Problem(CHAT, 2, "V2", MediaKind.VIDEO, BlobState.TOO_BIG, "refused"));
    // refused for an unknown mode: retried under any mode, V1 stays refused under the same one
    assertThat(catalog.requeueRefused(BOT, "cloud")).isEqualTo(1);
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId, Blob::state)
        .containsExactly(tuple("V2", BlobState.PENDING));
    assertThat(catalog.requeueRefused(BOT, "cloud")).isZero();

    assertThat(catalog.requeueRefused(BOT, "local")).isEqualTo(1);
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId).containsExactlyInAnyOrder("V1", "V2");
    assertThat(catalog.requeueRefused(BOT, "local")).isZero();
  }

  @Test
  void aFileAnotherBotWasRefusedIsNotRequeuedByThisOne() {
    // two instances on one catalog, each bot behind its own Bot API server (two download modes): in
    // the daemon sweep each requeued the other's too-big file at every run, and the other fetched
    // it again and rewrote its manifest, every 5 s
    long otherBot = 987654321L;
    catalog.commit(new IntakeBatch(List.of(post(OTHER_CHAT, 5, 0, "h5", video("THEIRS", 30_000_000L))), List.of(),
        List.of(), List.of(), otherBot, 9));
    catalog.markTooBig("THEIRS", "too big for their server", "their-server");
    assertThat(catalog.requeueRefused(BOT, "my-server")).isZero();
    assertThat(catalog.problems(BOT)).extracting(Problem::state).containsExactly(BlobState.TOO_BIG);
    assertThat(catalog.requeueRefused(otherBot, "their-server-in-local-mode")).isEqualTo(1);
  }

  @Test
  void aFailureUnderAnotherDownloadModeIsDueAgainAtOnce() {
    catalog.commit(batch(2, post(CHAT, 1, 0, "h1", photo("F1", "file-f1"))));
    catalog.markFailed("F1", "wrong mode", T0.plusSeconds(3600), "cloud");
    assertThat(catalog.dueBlobs(BOT, T0, 10)).isEmpty();
    assertThat(catalog.requeueRefused(BOT, "cloud")).isZero();
    assertThat(catalog.requeueRefused(BOT, "local")).isEqualTo(1);
    assertThat(catalog.dueBlobs(BOT, T0, 10)).extracting(Blob::fileUniqueId, Blob::state)
        .containsExactly(tuple("F1", BlobState.PENDING));
  }

  @Test
  void aBlobChangeMakesItsManifestsDirtyAgain() {
    catalog.commit(batch(4, post(CHAT, 1, 0, "h1", photo("P1", "file-p1")), post(CHAT, 2, 0, "h2"),
        post(CHAT, 3, 0, "h3", photo("P1", "file-p1"), photo("P3", "file-p3"))));
    List<ManifestSource> dirty = catalog.dirtyManifests(10);
    assertThat(dirty).extracting(s -> s.version().messageId()).containsExactly(1L, 2L, 3L);
    assertThat(catalog.dirtyManifests(2)).hasSize(2);
    for (ManifestSource s : dirty) {
      catalog.markManifestWritten(s.versionId(), "posts/" + s.version().messageId() + ".json");
    }
    assertThat(catalog.dirtyManifests(10)).isEmpty();

    catalog.markFailed("P1", "HTTP 500", T0, "cloud x");
    List<ManifestSource> again = catalog.dirtyManifests(10);
    assertThat(again).extracting(s -> s.version().messageId()).containsExactly(1L, 3L);
    assertThat(again.get(1).items()).extracting(ManifestSource.Item::state, ManifestSource.Item::reason)
        .containsExactly(tuple(BlobState.FAILED, "HTTP 500"),
            tuple(BlobState.PENDING, null));
    again.forEach(s -> catalog.markManifestWritten(s.versionId(), "posts/" + s.version().messageId() + ".json"));

    catalog.markStored("P3", "media/P3", 5, "01".repeat(32));
    assertThat(catalog.dirtyManifests(10)).extracting(s -> s.version().messageId()).containsExactly(3L);
  }

  @Test
  void indexEntriesListWrittenManifestsInMessageThenEditOrder() {
    PostVersion m3 = post(CHAT, 3, 0, "h3");
    PostVersion m1 = post(CHAT, 1, 0, "h1");
    PostVersion m1edit = post(CHAT, 1, 1_700_000_900L, "h1b");
    PostVersion m2 = post(CHAT, 2, 0, "h2");
    PostVersion other = post(OTHER_CHAT, 1, 0, "o1");
    catalog.commit(batch(2, m3, m1edit));
    catalog.commit(batch(4, m1, m2, other));
    for (ManifestSource s : catalog.dirtyManifests(10)) {
      if (!s.version().equals(m2)) {
        catalog.markManifestWritten(s.versionId(), key(s.version()));
      }
    }

    assertThat(catalog.indexEntries(CHAT)).containsExactly(
        new Catalog.IndexEntry(1, 0, m1.postDate(), null, key(m1)),
        new Catalog.IndexEntry(1, 1_700_000_900L, m1edit.postDate(), null, key(m1edit)),
        new Catalog.IndexEntry(3, 0, m3.postDate(), null, key(m3)));
    assertThat(catalog.indexEntries(OTHER_CHAT)).extracting(Catalog.IndexEntry::manifestKey)
        .containsExactly(key(other));
  }

  @Test
  void problemsListEveryBlobNotStored() {
    catalog.commit(batch(5, post(CHAT, 2, 0, "h2", photo("B", "file-b"), photo("A", "file-a")),
        post(CHAT, 1, 0, "h1", photo("S", "file-s")), post(OTHER_CHAT, 7, 0, "h7", video("V", 1L << 30))));
    catalog.markStored("S", "media/S", 1, "00".repeat(32));
    catalog.markTooBig("V", "too big", "cloud");
    catalog.markFailed("A", "HTTP 403", T0, "cloud x");

    assertThat(catalog.problems(BOT)).containsExactly(
        new Problem(OTHER_CHAT, 7, "V", MediaKind.VIDEO, BlobState.TOO_BIG, "too big"),
        new Problem(CHAT, 2, "A", MediaKind.PHOTO, BlobState.FAILED, "HTTP 403", T0),
        new Problem(CHAT, 2, "B", MediaKind.PHOTO, BlobState.PENDING, null));
  }

  // ---------------------------------------------------------------- jobs and status

  @Test
  void jobRunsAreRecordedAndTheLatestOfEachIsListed() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long first = catalog.startJob("backup");
    catalog.finishJob(first, "OK", 3, 1, 1_234_567L, "3 stored, 1 failed");
    long verify = catalog.startJob("verify");
    catalog.finishJob(verify, "FAILED", 0, 2, 0, "m".repeat(5000));
    long running = catalog.startJob("backup");
    Instant after = Instant.now().plusMillis(1);

    assertThat(running).isGreaterThan(first);
    List<JobRun> runs = catalog.lastRuns();
    assertThat(runs).extracting(JobRun::id, JobRun::job, JobRun::status)
        .containsExactly(tuple(running, "backup", "RUNNING"),
            tuple(verify, "verify", "FAILED"));
    assertThat(runs.get(0).finishedAt()).isNull();
    assertThat(runs.get(0).startedAt()).isBetween(before, after);
    JobRun v = runs.get(1);
    assertThat(v.finishedAt()).isBetween(v.startedAt(), after);
    assertThat(v.failed()).isEqualTo(2);
    assertThat(v.message()).hasSize(4000);

    Optional<Instant> lastBackup = catalog.lastFinishedStart("backup");
    assertThat(lastBackup).isPresent();
    assertThat(lastBackup.get()).isBetween(before, runs.get(0).startedAt());
    assertThat(catalog.lastFinishedStart("verify")).contains(v.startedAt());
    assertThat(catalog.lastFinishedStart("cleanup")).isEmpty();

    catalog.finishJob(running, "OK", 0, 0, 0, null);
    assertThat(catalog.lastFinishedStart("backup")).contains(runs.get(0).startedAt());
    assertThat(catalog.lastRuns().get(0)).extracting(JobRun::status, JobRun::bytes, JobRun::message)
        .containsExactly("OK", 0L, null);
  }

  @Test
  void liveProgressShowsTheFilesInFlightOfRunningRunsAndRetiresDeadOnes() {
    LiveProgress live = catalog.liveProgress();
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    long run = catalog.startJob("backup");
    live.publish(run, 2, 1, 5_000_000L, List.of(
        new LiveProgress.Transfer(CHAT, 7, "small", MediaKind.PHOTO, 100, 200, 50.5, t0, null),
        new LiveProgress.Transfer(CHAT, 8, "big", MediaKind.VIDEO, 3_000_000_000L, 4_000_000_000L, 2.5e8, t0, null)),
        t0.plusSeconds(2));
    assertThat(live.running(t0.plusSeconds(3))).extracting(LiveProgress.Transfer::fileUniqueId, LiveProgress.Transfer::bytesDone,
            LiveProgress.Transfer::totalSize, LiveProgress.Transfer::kind)
        .containsExactly(tuple("big", 3_000_000_000L, 4_000_000_000L, MediaKind.VIDEO),
            tuple("small", 100L, 200L, MediaKind.PHOTO));
    LiveProgress.Transfer big = live.running(t0.plusSeconds(3)).get(0);
    assertThat(big.bytesPerSecond()).isEqualTo(2.5e8);
    assertThat(big.startedAt()).isEqualTo(t0);
    assertThat(big.updatedAt()).isEqualTo(t0.plusSeconds(2));
    JobRun r = catalog.lastRuns().get(0);
    assertThat(r).extracting(JobRun::status, JobRun::stored, JobRun::failed, JobRun::bytes, JobRun::updatedAt)
        .containsExactly("RUNNING", 2, 1, 5_000_000L, t0.plusSeconds(2));

    // the next publish replaces the set: a finished file leaves it
    live.publish(run, 3, 1, 5_000_200L, List.of(
        new LiveProgress.Transfer(CHAT, 8, "big", MediaKind.VIDEO, 3_500_000_000L, 4_000_000_000L, 2.5e8, t0, null)),
        t0.plusSeconds(4));
    assertThat(live.running(t0.plusSeconds(5))).extracting(LiveProgress.Transfer::fileUniqueId).containsExactly("big");
    // a file last reported longer than the silence limit ago is not shown as moving
    assertThat(live.running(t0.plusSeconds(4).plus(LiveProgress.SILENCE).plusSeconds(1))).isEmpty();

    // still reporting: not abandoned; silent for longer than the limit: interrupted, nothing in flight
    assertThat(live.markAbandoned("backup", t0.plusSeconds(60))).isZero();
    assertThat(live.markAbandoned("verify", t0.plusSeconds(600))).isZero();
    assertThat(live.markAbandoned("backup", t0.plusSeconds(600))).isEqualTo(1);
    assertThat(catalog.lastRuns().get(0)).extracting(JobRun::status, JobRun::message)
        .containsExactly("INTERRUPTED", LiveProgress.INTERRUPTED_MESSAGE);
    assertThat(live.running(t0.plusSeconds(5))).isEmpty();

    // a run that ends clears what it had in flight; a publish after the end changes nothing
    long next = catalog.startJob("backup");
    live.publish(next, 0, 0, 0, List.of(
        new LiveProgress.Transfer(CHAT, 9, "c", MediaKind.DOCUMENT, 1, 2, 1, t0, null)), Instant.now());
    catalog.finishJob(next, "OK", 1, 0, 2, "done");
    assertThat(live.running(Instant.now())).isEmpty();
    live.clear(next);
    live.publish(next, 5, 5, 5, List.of(), Instant.now());
    assertThat(catalog.lastRuns().get(0)).extracting(JobRun::status, JobRun::stored).containsExactly("OK", 1);
  }

  @Test
  void aRunStartedRightAfterAKillTakesOverTheFilesTheDeadRunWasTransferring() {
    LiveProgress live = catalog.liveProgress();
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    long killed = catalog.startJob("backup");
    live.publish(killed, 0, 0, 0, List.of(
        new LiveProgress.Transfer(CHAT, 8, "big", MediaKind.VIDEO, 1_000, 4_000, 10, t0, null)), t0);
    // seconds later, well within the silence limit, the restarted process publishes the same file
    long next = catalog.startJob("backup");
    live.publish(next, 0, 0, 0, List.of(
        new LiveProgress.Transfer(CHAT, 8, "big", MediaKind.VIDEO, 2_000, 4_000, 20, t0.plusSeconds(5), null)),
        t0.plusSeconds(6));
    assertThat(live.running(t0.plusSeconds(7))).extracting(LiveProgress.Transfer::fileUniqueId,
        LiveProgress.Transfer::bytesDone).containsExactly(tuple("big", 2_000L));
  }

  @Test
  void aLeaseIsHeldByOneProcessUntilReleasedExpiredOrItsHolderIsGone() {
    Leases leases = catalog.leases();
    Duration ttl = Duration.ofMinutes(2);
    Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
    Leases.Holder me = Leases.Holder.ofThisProcess();
    Leases.Holder elsewhere = new Leases.Holder("other-owner", "another-host", 4242);
    Leases.Holder deadHere = new Leases.Holder("dead-owner", me.host(), deadPid());

    assertThat(leases.claim("backup", elsewhere, t0, ttl)).isEmpty();
    // held by a live holder on another host: refused, and the answer names it
    Optional<Leases.Held> held = leases.claim("backup", me, t0.plusSeconds(10), ttl);
    assertThat(held).isPresent();
    assertThat(held.get().holder()).isEqualTo(elsewhere);
    assertThat(held.get().acquiredAt()).isEqualTo(t0);
    // its heartbeat keeps it; silence beyond the time to live frees it
    assertThat(leases.renew("backup", elsewhere, t0.plusSeconds(100))).isTrue();
    assertThat(leases.claim("backup", me, t0.plusSeconds(200), ttl)).isPresent();
    assertThat(leases.claim("backup", me, t0.plusSeconds(100).plus(ttl).plusSeconds(1), ttl)).isEmpty();
    assertThat(leases.renew("backup", elsewhere, t0.plusSeconds(300))).as("taken over").isFalse();
    assertThat(leases.claim("backup", me, t0.plusSeconds(301), ttl)).as("claiming again renews").isEmpty();
    assertThat(leases.claim("backup", elsewhere, t0.plusSeconds(302), ttl)).isPresent();

    // released: free at once
    leases.release("backup", me);
    assertThat(leases.claim("backup", deadHere, t0.plusSeconds(303), ttl)).isEmpty();
    // a holder on this host whose process is gone (kill -9) does not block, however fresh
    assertThat(leases.claim("backup", me, t0.plusSeconds(304), ttl)).isEmpty();
    // and a live one on this host does
    assertThat(leases.claim("backup", Leases.Holder.ofThisProcess(), t0.plusSeconds(305), ttl)).isPresent();
  }

  /** A pid no process on this host has. */
  private static long deadPid() {
    long pid = 4_000_000;
    while (ProcessHandle.of(pid).isPresent()) {
      pid++;
    }
    return pid;
  }

  @Test
  void channelStatusCountsMediaPerStateAndBytesStored() {
    catalog.commit(new IntakeBatch(List.of(
        post(CHAT, 1, 0, "h1", photo("A", "file-a")),
        post(CHAT, 1, 1_700_000_100L, "h1b", photo("A", "file-a"), document("B")),
        post(CHAT, 2, 0, "h2", video("C", 300)),
        post(CHAT, 3, 0, "h3"),
        post(OTHER_CHAT, 1, 0, "o1", photo("A", "file-a"), document("D"))),
        List.of(new IntakeBatch.ChannelSeen(CHAT, "Cats", "cats", "administrator", 100)),
        List.of(), List.of(), BOT, 9));
    catalog.markStored("A", "media/A", 100, "aa".repeat(32));
    catalog.markStored("C", "media/C", 300, "cc".repeat(32));
    catalog.markTooBig("B", "too big", "cloud");
    catalog.markFailed("D", "HTTP 500", T0, "cloud x");

    assertThat(catalog.channelStatus(List.of(CHAT, NEVER_SEEN))).containsExactly(
        new ChannelStatus(CHAT, "Cats", "administrator", 3, 4, media(0, 2, 1, 0), 400),
        new ChannelStatus(NEVER_SEEN, null, null, 0, 0, media(0, 0, 0, 0), 0),
        new ChannelStatus(OTHER_CHAT, null, null, 1, 1, media(0, 1, 0, 1), 100));
  }

  @Test
  void countByGroupsRows() {
    catalog.commit(batch(3, post(CHAT, 1, 0, "h1", photo("A", "file-a"), photo("B", "file-b"))));
    catalog.markStored("A", "media/A", 1, "aa".repeat(32));

    assertThat(catalog.countBy("select state, count(*) from blobs group by state order by state"))
        .containsExactly(Map.entry("PENDING", 1L), Map.entry("STORED", 1L));
  }

  // ---------------------------------------------------------------- throughput

  /** Not a timing assertion: logs the commit rate, asserts only that everything arrived. */
  @Test
  void commitsTwentyThousandVersionsInBatchesOfOneHundred() {
    int total = 20_000;
    int perBatch = 100;
    long started = System.nanoTime();
    int added = 0;
    for (int first = 1; first <= total; first += perBatch) {
      List<PostVersion> posts = new ArrayList<>(perBatch);
      for (int m = first; m < first + perBatch; m++) {
        posts.add(m % 4 == 0 ? post(CHAT, m, 0, "h" + m, photo("F" + m, "file-" + m)) : post(CHAT, m, 0, "h" + m));
      }
      added += catalog.commit(batch(first + perBatch, posts.toArray(PostVersion[]::new)));
    }
    long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
    log.info("catalog commit rate on {}: {} post versions in {} batches of {} in {} ms = {} versions/s",
        getClass().getSimpleName(), total, total / perBatch, perBatch, millis, total * 1000L / millis);

    assertThat(added).isEqualTo(total);
    assertThat(catalog.nextOffset(BOT)).isEqualTo(total + 1);
    assertThat(rowCounts()).containsEntry("post_versions", (long) total)
        .containsEntry("blobs", total / 4L).containsEntry("media_items", total / 4L);
    assertThat(catalog.channelStatus(List.of(CHAT)).get(0).versions()).isEqualTo(total);
  }

  // ---------------------------------------------------------------- helpers

  private Map<String, Long> rowCounts() {
    return catalog.countBy("select 'post_versions', count(*) from post_versions"
        + " union all select 'media_items', count(*) from media_items"
        + " union all select 'blobs', count(*) from blobs"
        + " union all select 'channels', count(*) from channels"
        + " union all select 'rejected_updates', count(*) from rejected_updates");
  }

  static PostVersion post(long chat, long message, long editDate, String hash, MediaRef... media) {
    return new PostVersion(chat, message, editDate, hash, 1_700_000_000L + message, null,
        message * 10 + (editDate == 0 ? 0 : 1), "{\"message_id\":" + message + ",\"edit_date\":" + editDate + "}",
        List.of(media));
  }

  static MediaRef photo(String fileUniqueId, String fileId) {
    return new MediaRef(MediaKind.PHOTO, fileUniqueId, fileId, 2048L, "image/jpeg", null, 1280, 720, null);
  }

  static MediaRef video(String fileUniqueId, long size) {
    return new MediaRef(MediaKind.VIDEO, fileUniqueId, "file-" + fileUniqueId, size, "video/mp4", "clip.mp4", 1920,
        1080, 42);
  }

  static MediaRef document(String fileUniqueId) {
    return new MediaRef(MediaKind.DOCUMENT, fileUniqueId, "file-" + fileUniqueId, 10L, "application/pdf",
        "notes.pdf", null, null, null);
  }

  static IntakeBatch batch(long nextOffset, PostVersion... posts) {
    return new IntakeBatch(List.of(posts), List.of(), List.of(), List.of(), BOT, nextOffset);
  }

  static IntakeBatch channels(IntakeBatch.ChannelSeen seen) {
    return new IntakeBatch(List.of(), List.of(seen), List.of(), List.of(), BOT, 0);
  }

  static Map<BlobState, Long> media(long pending, long stored, long tooBig, long failed) {
    return Map.of(BlobState.PENDING, pending, BlobState.STORED, stored, BlobState.TOO_BIG, tooBig,
        BlobState.FAILED, failed);
  }

  // ---------------------------------------------------------------- upload journal

  @Test
  void theUploadJournalKeepsTheNewestHashCheckpointOfAnActiveUpload() {
    UploadJournal j = catalog.uploadJournal();
    j.start("f1", "media/f1.bin", "up-1", 5L << 20, 100L << 20);
    assertThat(j.find("f1").orElseThrow().hashed()).isNull();

    j.partsDone("f1", List.of(new UploadJournal.Part(1, "\"e1\"", 5L << 20)), new UploadJournal.HashCheckpoint(3, "s3"));
    j.partsDone("f1", List.of(new UploadJournal.Part(2, "\"e2\"", 5L << 20)), new UploadJournal.HashCheckpoint(2, "s2"));
    UploadJournal.Upload u = j.find("f1").orElseThrow();
    // batches commit out of order: an older checkpoint never replaces a newer one
    assertThat(u.hashed()).isEqualTo(new UploadJournal.HashCheckpoint(3, "s3"));
    assertThat(u.parts()).containsOnlyKeys(1, 2);
    j.hashedThrough("f1", new UploadJournal.HashCheckpoint(7, "s7"));
    assertThat(j.find("f1").orElseThrow().hashed()).isEqualTo(new UploadJournal.HashCheckpoint(7, "s7"));

    // a new upload of the file starts without one; a completed upload takes none
    j.start("f1", "media/f1.bin", "up-2", 5L << 20, 100L << 20);
    assertThat(j.find("f1").orElseThrow().hashed()).isNull();
    j.completed("f1", "ab".repeat(32));
    j.hashedThrough("f1", new UploadJournal.HashCheckpoint(9, "s9"));
    assertThat(j.find("f1").orElseThrow().hashed()).isNull();
  }

  private static String key(PostVersion v) {
    return "posts/" + v.chatId() + "/" + v.messageId() + "-" + v.editDate() + ".json";
  }
}
