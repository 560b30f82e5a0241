package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.channelmirror.recovery.RestorePlan.Send;
import org.channelmirror.recovery.RestorePlan.Severity;
import org.junit.jupiter.api.Test;

class RestorePlannerTest {
  private static final RestorePlanner.Limits CLOUD = RestorePlanner.Limits.of(false);
  private static final RestorePlanner.Limits LOCAL = RestorePlanner.Limits.of(true);
  private static final long MB = 1024 * 1024;

  @Test
  void anAlbumMixingKindsIsSplitWhereSendMediaGroupRequiresAndNoted() {
    List<PostManifest> posts = List.of(post(1, "g", "photo", 100, "one"), post(2, "g", "video", 100, null),
        post(3, "g", "document", 100, "three"), post(4, "g", "animation", 100, null), post(5, "g", "photo", 100, null),
        post(6, "g", "photo", 100, null));
    RestorePlan plan = RestorePlanner.plan(-1L, posts, CLOUD);
    assertThat(plan.sends()).extracting(Send::method)
        .containsExactly("sendMediaGroup", "sendDocument", "sendAnimation", "sendMediaGroup");
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m1+2", "m3", "m4", "m5+6");
    assertThat(plan.sends().get(0).items().get(0).caption()).isEqualTo("one");
    assertThat(plan.sends().get(1).items().get(0).caption()).isEqualTo("three");
    assertThat(plan.notes()).singleElement().satisfies(n -> {
      assertThat(n.severity()).isEqualTo(Severity.CHANGED);
      assertThat(n.message()).contains("album of messages 1-6 is sent as 4 separate posts", "animation");
    });
  }

  @Test
  void albumsKeepAtMostTenItemsAndInCloudModeOneUploadLimitPerRequest() {
    List<PostManifest> twelve = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      twelve.add(post(i, "g", "photo", 1000, null));
    }
    assertThat(RestorePlanner.plan(-1L, twelve, CLOUD).sends()).extracting(s -> s.items().size())
        .containsExactly(10, 2);
    List<PostManifest> heavy = List.of(post(1, "h", "video", 30 * MB, null), post(2, "h", "video", 30 * MB, null));
    assertThat(RestorePlanner.plan(-1L, heavy, CLOUD).sends()).hasSize(2);
    assertThat(RestorePlanner.plan(-1L, heavy, LOCAL).sends()).singleElement()
        .satisfies(s -> assertThat(s.method()).isEqualTo("sendMediaGroup"));
  }

  @Test
  void sizeLimitsDependOnTheServer() {
    List<PostManifest> posts = List.of(post(1, null, "photo", 11 * MB, "big photo"),
        post(2, null, "video", 60 * MB, "big video"));
    RestorePlan cloud = RestorePlanner.plan(-1L, posts, CLOUD);
    assertThat(cloud.sends()).extracting(Send::method).containsExactly("sendDocument", "sendMessage");
    assertThat(cloud.sends().get(0).items().get(0).sendAs()).isEqualTo("document");
    assertThat(cloud.sends().get(1).text()).as("the caption survives as text").isEqualTo("big video");
    assertThat(cloud.notes()).extracting(RestorePlan.Note::severity).containsExactly(Severity.CHANGED,
        Severity.NOT_SENT);
    assertThat(cloud.notes().get(1).message()).contains("60.0 MB", "50.0 MB", "--local");

    RestorePlan local = RestorePlanner.plan(-1L, posts, LOCAL);
    assertThat(local.sends()).extracting(Send::method).containsExactly("sendPhoto", "sendVideo");
    assertThat(local.notes()).isEmpty();
  }

  @Test
  void withReuseFileIdsOnlyWhatIsOverTheUploadLimitGoesByFileIdInItsOwnKind() {
    List<PostManifest> posts = List.of(post(1, null, "video", 60 * MB, "big video"),
        post(2, null, "photo", 11 * MB, "big photo"), post(3, null, "document", 30 * MB, null),
        post(4, null, "photo", 60 * MB, null));
    RestorePlan plan = RestorePlanner.plan(-1L, posts, CLOUD, true);
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m1", "m2", "m3", "m4");
    assertThat(plan.sends()).extracting(Send::method)
        .containsExactly("sendVideo", "sendDocument", "sendDocument", "sendPhoto");
    List<RestorePlan.Item> items = plan.sends().stream().map(s -> s.items().get(0)).toList();
    assertThat(items).extracting(RestorePlan.Item::fileId).containsExactly("f1", null, null, "f4");
    assertThat(items.get(0).caption()).as("the caption goes with the file_id").isEqualTo("big video");
    assertThat(items.get(3).sendAs()).as("a photo's file_id is sent as a photo, never as a document")
        .isEqualTo("photo");
    assertThat(plan.itemsByFileId()).isEqualTo(2);
    assertThat(plan.totalBytes()).as("only uploads count").isEqualTo(41 * MB);
    assertThat(plan.notes()).singleElement().satisfies(n -> assertThat(n.message()).contains("photo media/u2.bin",
        "sent as a document"));

    assertThat(RestorePlanner.plan(-1L, posts, LOCAL, true).itemsByFileId())
        .as("a self-hosted server uploads all of them").isZero();
    RestorePlan off = RestorePlanner.plan(-1L, posts, CLOUD, false);
    assertThat(off.itemsByFileId()).isZero();
    assertThat(off.sends()).extracting(Send::id).containsExactly("m1/caption", "m2", "m3");
  }

  @Test
  void withReuseFileIdsAnAlbumCarriesTheFileIdAndOnlyUploadsCountTowardsTheRequestLimit() {
    List<PostManifest> album = List.of(post(1, "g", "video", 60 * MB, "album caption"),
        post(2, "g", "photo", 2 * MB, null), post(3, "g", "video", 30 * MB, null), post(4, "g", "video", 15 * MB, null));
    RestorePlan plan = RestorePlanner.plan(-1L, album, CLOUD, true);
    assertThat(plan.sends()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo("m1+2+3+4");
      assertThat(s.method()).isEqualTo("sendMediaGroup");
      assertThat(s.items()).extracting(RestorePlan.Item::fileId).containsExactly("f1", null, null, null);
      assertThat(s.items().get(0).caption()).isEqualTo("album caption");
      assertThat(s.bytes()).isEqualTo(47 * MB);
    });
    assertThat(plan.notes()).isEmpty();

    // the uploads alone exceed one request's limit: split where they do, the file_id costs nothing
    List<PostManifest> heavy = List.of(post(1, "h", "video", 60 * MB, null), post(2, "h", "video", 30 * MB, null),
        post(3, "h", "video", 30 * MB, null));
    RestorePlan split = RestorePlanner.plan(-1L, heavy, CLOUD, true);
    assertThat(split.sends()).extracting(Send::id).containsExactly("m1+2", "m3");
    assertThat(split.notes()).singleElement().satisfies(n -> assertThat(n.message())
        .contains("sent as 2 separate posts", "exceed the 50.0 MB a request may carry"));

    // without the flag the big video is left out and the rest stays one album
    RestorePlan off = RestorePlanner.plan(-1L, album, CLOUD, false);
    assertThat(off.sends()).extracting(Send::id).containsExactly("m2+3+4", "m1/caption");
    assertThat(off.sends().get(0).items()).allSatisfy(it -> assertThat(it.byFileId()).isFalse());
  }

  @Test
  void withReuseFileIdsAnItemWithoutARecordedFileIdIsStillReported() {
    PostManifest noFileId = new PostManifest("k", -1, 1, 0, 0, "h", null, null, null, null, null, false, false, null,
        List.of(new MediaEntry("document", "stored", "u1", null, "media/u1.bin", 70 * MB, "00", null, null, null,
        null, null, null)), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(noFileId), CLOUD, true);
    assertThat(plan.sends()).isEmpty();
    assertThat(plan.notes()).singleElement().satisfies(n -> {
      assertThat(n.severity()).isEqualTo(Severity.NOT_SENT);
      assertThat(n.message()).contains("70.0 MB", "records no file_id");
    });
  }

  @Test
  void whatIsNotInTheBackupIsReportedAndLongCaptionsTravelSeparately() {
    PostManifest missing = new PostManifest("k", -1, 1, 0, 0, "h", null, null, null, "caption kept", null, false,
        false, null, List.of(new MediaEntry("video", "too_big", "u1", "f1", null, 30 * MB, null, null, null, null,
        null, null, "file is too big")), false, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
    PostManifest longCaption = post(2, null, "photo", 100, "x".repeat(1500));
    PostManifest game = new PostManifest("k", -1, 3, 0, 0, "h", null, null, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode().put("game", "?"));
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(missing, longCaption, game), CLOUD);
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m1/caption", "m2", "m2/caption");
    assertThat(plan.sends().get(1).items().get(0).caption()).isNull();
    assertThat(plan.notes()).extracting(RestorePlan.Note::message).anySatisfy(m -> assertThat(m)
        .contains("not in the backup (too_big: file is too big)")).anySatisfy(m -> assertThat(m)
        .contains("1500 characters")).anySatisfy(m -> assertThat(m).contains("game"));
  }

  @Test
  void anEmptyFileIsReportedAsEmptyNotAsWithoutASize() {
    // found by an acceptance sweep: a 0-byte document was reported as having "no recorded size"
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(post(1, null, "document", 0, "empty file")), CLOUD);
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m1/caption");
    assertThat(plan.notes()).singleElement().satisfies(n -> assertThat(n.message())
        .contains("is empty (0 bytes)").doesNotContain("no recorded size"));
  }

  @Test
  void aServiceMessageIsSkippedWithItsReasonAndDoesNotFailTheRestore() {
    // found by the recovery sweep: a channel's pin notice (a channel_post carrying pinned_message) was
    // "NOT SENT: nothing channel-mirror can restore", so the restore of any channel with a pin exited 1
    PostManifest pin = new PostManifest("k", -1, 7, 0, 0, "h", null, null, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, (com.fasterxml.jackson.databind.node.ObjectNode) Drill.json(
        "{\"message_id\":7,\"pinned_message\":{\"message_id\":2,\"date\":1,\"chat\":{\"id\":-1,\"type\":\"channel\"}}}"));
    PostManifest title = new PostManifest("k", -1, 8, 0, 0, "h", null, null, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, (com.fasterxml.jackson.databind.node.ObjectNode) Drill.json(
        "{\"message_id\":8,\"new_chat_title\":\"Harbour\"}"));
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(post(2, null, "photo", 100, "pinned one"), pin, title), CLOUD);
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m2");
    assertThat(plan.notes()).extracting(RestorePlan.Note::severity).containsExactly(Severity.SKIPPED, Severity.SKIPPED);
    assertThat(plan.notes().get(0).message()).contains("service message", "pinned message 2", "pin the restored copy");
    assertThat(plan.notes().get(1).message()).contains("renamed the channel to \"Harbour\"");
    RestoreReport report = new RestoreReport(plan, -2L, false, 1, 0, List.of(), List.of(), 100, 0, null, "j", false);
    assertThat(report.complete()).isTrue();
  }

  @Test
  void aLivePhotoGoesAsALivePhotoWithItsVideoAndStill() {
    // Bot API 10.0: a live photo's message has live_photo (backed up as its own item) and photo
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(livePhoto(300L)), CLOUD);
    assertThat(plan.sends()).singleElement().satisfies(s -> {
      assertThat(s.method()).isEqualTo("sendLivePhoto");
      assertThat(s.items()).extracting(RestorePlan.Item::sendAs).containsExactly("live_photo", "photo");
      assertThat(s.items().get(0).caption()).isEqualTo("live");
      assertThat(s.items().get(1).caption()).isNull();
      assertThat(s.messages()).isEqualTo(1);
    });
    assertThat(plan.notes()).isEmpty();
  }

  @Test
  void aLivePhotoWhoseVideoTheBotCannotUploadIsSentAsItsStillPhotoAndNoted() {
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(livePhoto(60L << 20)), CLOUD); // over the 50 MB cloud limit
    assertThat(plan.sends()).extracting(Send::method).containsExactly("sendPhoto");
    assertThat(plan.notes()).singleElement().satisfies(n -> {
      assertThat(n.severity()).isEqualTo(Severity.CHANGED);
      assertThat(n.message()).contains("live photo", "still photo", "moving part is in the backup");
    });
  }

  private static PostManifest livePhoto(long videoBytes) {
    PostManifest p = post(3, null, "photo", 100, "live");
    List<MediaEntry> media = List.of(p.media().get(0), new MediaEntry("live_photo", "stored", "y", "x",
        "media/y.mp4", videoBytes, "00", "video/mp4", null, 640, 640, 2, null));
    return new PostManifest(p.key(), p.chatId(), 3, p.date(), 0, "h", null, null, null, "live", null,
        false, false, null, media, true, Instant.EPOCH, (com.fasterxml.jackson.databind.node.ObjectNode)
        Drill.json("{\"message_id\":3,\"live_photo\":{\"file_id\":\"x\",\"file_unique_id\":\"y\"},\"photo\":[]}"));
  }

  @Test
  void aPaidLivePhotoGoesAsItsStillAndSaysSo() {
    // a paid "live_photo" item: intake backs up its still (photo) and its video (live_photo)
    PostManifest photo = post(7, null, "photo", 100, null);
    MediaEntry video = new MediaEntry("live_photo", "stored", "lv", "x", "media/lv.mp4", 300L, "00", "video/mp4",
        null, 640, 640, 2, null);
    PostManifest paid = new PostManifest(photo.key(), photo.chatId(), 7, photo.date(), 0, "h", null, null, null,
        null, null, false, false, null, List.of(photo.media().get(0), video), true, Instant.EPOCH,
        (com.fasterxml.jackson.databind.node.ObjectNode) Drill.json("{\"message_id\":7,\"paid_media\":"
        + "{\"star_count\":3,\"paid_media\":[]}}"));
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(paid), CLOUD);
    assertThat(plan.sends()).singleElement().satisfies(s ->
        assertThat(s.items()).extracting(RestorePlan.Item::sendAs).containsExactly("photo"));
    assertThat(plan.notes()).singleElement().satisfies(n -> {
      assertThat(n.severity()).isEqualTo(Severity.CHANGED);
      assertThat(n.message()).contains("live photo", "moving part is in the backup");
    });
  }

  @Test
  void paidMediaIsSentAsPaidMediaAtItsPriceNeverAsFreeMedia() {
    // intake backs up the photos and videos of a paid-media post as the post's media
    PostManifest photo = post(4, null, "photo", 100, null);
    PostManifest video = post(5, null, "video", 200, null);
    PostManifest paid = new PostManifest(photo.key(), photo.chatId(), 4, photo.date(), 0, "h", null, null, null,
        "for subscribers", Drill.json("[{\"type\":\"bold\",\"offset\":0,\"length\":3}]"), true, false, null,
        List.of(photo.media().get(0), video.media().get(0)), true, Instant.EPOCH,
        (com.fasterxml.jackson.databind.node.ObjectNode) Drill.json("{\"message_id\":4,\"paid_media\":"
        + "{\"star_count\":25,\"paid_media\":[]}}"));
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(paid), CLOUD);
    assertThat(plan.notes()).isEmpty();
    assertThat(plan.sends()).singleElement().satisfies(s -> {
      assertThat(s.method()).isEqualTo("sendPaidMedia");
      assertThat(s.messages()).as("one paid message, however many files").isEqualTo(1);
      assertThat(s.items()).extracting(RestorePlan.Item::sendAs).containsExactly("photo", "video");
      assertThat(s.items()).allSatisfy(it -> assertThat(it.caption()).as("the caption is the message's").isNull());
      assertThat(s.params()).isEqualTo(Drill.json("{\"star_count\":25,\"caption\":\"for subscribers\","
          + "\"caption_entities\":[{\"type\":\"bold\",\"offset\":0,\"length\":3}],"
          + "\"show_caption_above_media\":true}"));
    });
    // a photo sendPhoto would refuse cannot become a document in paid media
    PostManifest big = post(6, null, "photo", 11 * MB, null);
    PostManifest bigPaid = new PostManifest(big.key(), big.chatId(), 6, big.date(), 0, "h", null, null, null, null,
        null, false, false, null, big.media(), true, Instant.EPOCH, (com.fasterxml.jackson.databind.node.ObjectNode)
        Drill.json("{\"message_id\":6,\"paid_media\":{\"star_count\":5,\"paid_media\":[]}}"));
    RestorePlan refused = RestorePlanner.plan(-1L, List.of(bigPaid), CLOUD);
    assertThat(refused.sends()).isEmpty();
    assertThat(refused.notes()).extracting(RestorePlan.Note::severity).containsOnly(Severity.NOT_SENT);
    assertThat(refused.notes()).extracting(RestorePlan.Note::message).anySatisfy(m -> assertThat(m)
        .contains("paid media takes no documents")).anySatisfy(m -> assertThat(m)
        .contains("paid media (5 stars) is not sent", "none of its photos and videos"));
  }

  @Test
  void pollsPlacesContactsAndDiceGoByTheirOwnMethodsNotedWithWhatTheCopyCannotHave() {
    PostManifest poll = content(1, "{\"poll\":{\"id\":\"9\",\"question\":\"Lunch?\",\"options\":["
        + "{\"text\":\"Soup\",\"voter_count\":3},{\"text\":\"Salad\",\"voter_count\":1}],"
        + "\"total_voter_count\":4,\"is_closed\":false,\"is_anonymous\":true,\"type\":\"regular\","
        + "\"allows_multiple_answers\":true}}");
    PostManifest openQuiz = content(2, "{\"poll\":{\"id\":\"8\",\"question\":\"2+2?\",\"options\":["
        + "{\"text\":\"4\",\"voter_count\":0},{\"text\":\"5\",\"voter_count\":0}],\"total_voter_count\":0,"
        + "\"is_closed\":false,\"is_anonymous\":true,\"type\":\"quiz\",\"allows_multiple_answers\":false}}");
    PostManifest live = content(3, "{\"location\":{\"latitude\":52.5,\"longitude\":13.4,\"live_period\":900}}");
    PostManifest dice = content(4, "{\"dice\":{\"emoji\":\"🎯\",\"value\":6}}");
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(poll, openQuiz, live, dice), CLOUD);
    assertThat(plan.sends()).extracting(Send::method).containsExactly("sendPoll", "sendPoll", "sendLocation",
        "sendDice");
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m1", "m2", "m3", "m4");
    assertThat(plan.sends().get(0).params()).isEqualTo(Drill.json("{\"question\":\"Lunch?\",\"options\":["
        + "{\"text\":\"Soup\"},{\"text\":\"Salad\"}],\"is_anonymous\":true,\"type\":\"regular\","
        + "\"allows_multiple_answers\":true}"));
    assertThat(plan.sends().get(1).params().path("type").asText()).isEqualTo("regular");
    assertThat(plan.sends().get(1).params().has("correct_option_ids")).isFalse();
    assertThat(plan.sends().get(3).params()).isEqualTo(Drill.json("{\"emoji\":\"🎯\"}"));
    assertThat(plan.notes()).extracting(RestorePlan.Note::severity).containsOnly(Severity.CHANGED);
    assertThat(plan.notes()).extracting(n -> n.messageId() + ": " + n.message()).anySatisfy(m -> assertThat(m)
        .startsWith("1: ").contains("votes cannot be restored", "it had 4"))
        .anySatisfy(m -> assertThat(m).startsWith("2: ").contains("quiz", "sent as a regular poll"))
        .anySatisfy(m -> assertThat(m).startsWith("3: ").contains("live location", "static"))
        .anySatisfy(m -> assertThat(m).startsWith("4: ").contains("new value", "it showed 6"));
    assertThat(new RestoreReport(plan, -2L, false, 4, 0, List.of(), List.of(), 0, 0, null, "j", false).complete())
        .as("what the copy cannot have is a change, not a failure").isTrue();
  }

  private static PostManifest content(long id, String message) {
    return new PostManifest("k" + id, -1, id, 1000 + id, 0, "hash", null, null, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, (com.fasterxml.jackson.databind.node.ObjectNode) Drill.json(message));
  }

  @Test
  void aTextTelegramAcceptedIsNotRefusedForItsEmojiCountingTwice() {
    // found by the recovery sweep: the 4096 limit was counted in UTF-16 units, so a text post of 4,060
    // characters with 60 emoji (4,120 units) was "NOT SENT", though Telegram had posted it in the first
    // place under the same limit. Premium captions (up to 4,096) sent as a text message likewise.
    String text = "a".repeat(4000) + "😀".repeat(60);
    PostManifest p = new PostManifest("k", -1, 1, 0, 0, "h", null, text, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
    PostManifest captioned = post(2, null, "photo", 100, text);
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(p, captioned), CLOUD);
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m1", "m2", "m2/caption");
    assertThat(plan.sends().get(0).text()).isEqualTo(text);
    assertThat(plan.sends().get(2).text()).isEqualTo(text);
    // and the dry run says so in the same count (it said "text, 4120 characters", over the limit it keeps)
    assertThat(plan.sends().get(0).summary()).isEqualTo("text, 4060 characters");
    assertThat(plan.notes()).singleElement().satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.CHANGED));
    // a text over the limit however it is counted is still reported, never cut
    PostManifest tooLong = new PostManifest("k", -1, 3, 0, 0, "h", null, "b".repeat(4097), null, null, null, false,
        false, null, List.of(), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
    assertThat(RestorePlanner.plan(-1L, List.of(tooLong), CLOUD).notes()).singleElement()
        .satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.NOT_SENT));
  }

  @Test
  void aCaptionTelegramAcceptedStaysOnItsMediaThoughItsEmojiCountTwice() {
    // the 1024 limit of captions is counted in characters too, as Telegram counts it: 1,000 letters
    // and 20 emoji (1,040 UTF-16 units) were sent as a separate message
    String caption = "a".repeat(1000) + "😀".repeat(20);
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(post(1, null, "photo", 100, caption)), CLOUD);
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m1");
    assertThat(plan.notes()).isEmpty();
    RestorePlan over = RestorePlanner.plan(-1L, List.of(post(2, null, "photo", 100, caption + "b".repeat(5))), CLOUD);
    assertThat(over.sends()).extracting(Send::id).containsExactly("m2", "m2/caption");
    assertThat(over.notes()).singleElement().satisfies(n -> assertThat(n.message()).contains("1025 characters"));
  }

  @Test
  void formattingOfATypeTheBotApiDoesNotTakeIsLeftOutAndNotedInsteadOfTheWholePostBeingRefused() {
    // found by the content-kinds sweep: an entity type the Bot API server does not know went out as it was in
    // the manifest, and telegram-bot-api refuses the whole message for it ("Can't parse MessageEntity:
    // Unsupported type specified"): a post of a newer Bot API was not restored at all
    PostManifest text = new PostManifest("k1", -1, 1, 1001, 0, "h", null, "bold and new", Drill.json(
        "[{\"offset\":0,\"length\":4,\"type\":\"bold\"},{\"offset\":9,\"length\":3,\"type\":\"sparkle\"}]"),
        null, null, false, false, null, List.of(), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
    PostManifest photo = post(2, null, "photo", 100, "see this");
    photo = new PostManifest(photo.key(), -1, 2, 1002, 0, "h", null, null, null, "see this", Drill.json(
        "[{\"offset\":0,\"length\":3,\"type\":\"italic\"},{\"offset\":4,\"length\":4,\"type\":\"sparkle\"}]"),
        false, false, null, photo.media(), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(text, photo), CLOUD);
    assertThat(plan.sends()).extracting(Send::method).containsExactly("sendMessage", "sendPhoto");
    assertThat(plan.sends().get(0).text()).isEqualTo("bold and new");
    assertThat(plan.sends().get(0).entities()).extracting(e -> e.get("type").asText()).containsExactly("bold");
    assertThat(plan.sends().get(1).items().get(0).captionEntities()).extracting(e -> e.get("type").asText())
        .containsExactly("italic");
    assertThat(plan.notes()).extracting(RestorePlan.Note::severity).containsOnly(Severity.CHANGED);
    assertThat(plan.notes()).extracting(RestorePlan.Note::messageId).containsExactly(1L, 2L);
    assertThat(plan.notes()).allSatisfy(n -> assertThat(n.message()).contains("sparkle", "unformatted"));
  }

  @Test
  void contentARestoreCannotSendIsNamedWhetherTheRestOfThePostGoesOrNothingDoes() {
    // found by the content-kinds sweep: a checklist, giveaway winners or a kind of a newer Bot API was
    // "NOT SENT: nothing channel-mirror can restore in this post" without saying what it was, and beside a text
    // the text went out with no word of what was left behind
    PostManifest checklist = raw(3, "{\"message_id\":3,\"checklist\":{\"title\":\"Todo\",\"tasks\":[]}}");
    PostManifest hologram = raw(4, "{\"message_id\":4,\"text\":\"look\",\"hologram\":{\"file_id\":\"x\"}}");
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(checklist, hologram), CLOUD);
    assertThat(plan.sends()).extracting(Send::id).containsExactly("m4");
    assertThat(plan.notes()).extracting(n -> n.messageId() + " " + n.severity()).containsExactly("3 NOT_SENT",
        "4 CHANGED");
    assertThat(plan.notes().get(0).message()).contains("it carries checklist");
    assertThat(plan.notes().get(1).message()).contains("hologram", "does not restore");
    // what channel-mirror itself adds to a backfilled post's message is no content of the post
    PostManifest backfilled = raw(9, "{\"message_id\":9,\"text\":\"old\",\"channel_mirror_source\":\"backfill\"}");
    assertThat(RestorePlanner.plan(-1L, List.of(backfilled), CLOUD).notes()).isEmpty();
  }

  @Test
  void aForwardAReplyWithoutItsPostAndAVideoWithCoverAreSentSayingWhatTheCopyLacks() {
    // found by the content-kinds sweep: a forwarded post and a reply went out as plain posts, and a video lost the
    // moment it starts at (start_timestamp, which sendVideo takes), all without a word in the report; a reply
    // whose post is restored with it goes as a reply (RestoreMessageFieldsIT)
    PostManifest fwd = raw(5, "{\"message_id\":5,\"text\":\"news\",\"forward_origin\":{\"type\":\"user\",\"date\":1,"
        + "\"sender_user\":{\"id\":7,\"is_bot\":false,\"first_name\":\"Ann\",\"last_name\":\"Lee\"}}}");
    PostManifest reply = raw(6, "{\"message_id\":6,\"text\":\"yes\",\"chat\":{\"id\":-1},"
        + "\"reply_to_message\":{\"message_id\":5,\"date\":1,\"chat\":{\"id\":-1}}}");
    PostManifest v = post(7, null, "video", 100, null);
    PostManifest video = new PostManifest(v.key(), -1, 7, 1007, 0, "h", null, null, null, null, null, false, false,
        null, v.media(), true, Instant.EPOCH, Drill.json("{\"message_id\":7,\"video\":{\"file_id\":\"f7\","
        + "\"file_unique_id\":\"u7\",\"duration\":9,\"width\":100,\"height\":100,\"start_timestamp\":3,"
        + "\"cover\":[{\"file_id\":\"c\",\"file_unique_id\":\"cu\",\"width\":1,\"height\":1}]}}"));
    PostManifest orphan = raw(8, "{\"message_id\":8,\"text\":\"late\",\"chat\":{\"id\":-1},"
        + "\"reply_to_message\":{\"message_id\":2,\"date\":1,\"chat\":{\"id\":-1}}}");
    RestorePlan plan = RestorePlanner.plan(-1L, List.of(fwd, reply, video, orphan), CLOUD);
    assertThat(plan.sends()).extracting(Send::method).containsExactly("sendMessage", "sendMessage", "sendVideo",
        "sendMessage");
    // the reply to 5 goes as a reply to 5's copy; the one to 2, which is not restored, cannot
    assertThat(plan.notes()).extracting(n -> n.messageId() + " " + n.severity()).containsExactly("5 CHANGED",
        "7 CHANGED", "8 CHANGED");
    assertThat(plan.notes().get(0).message()).contains("forwarded from Ann Lee");
    assertThat(plan.notes().get(1).message()).contains("cover");
    assertThat(plan.notes().get(2).message()).contains("a reply to message 2, which is not restored");
    java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
    Restorer.describeItem(plan.sends().get(2).items().get(0), params::put);
    assertThat(params).containsEntry("start_timestamp", "3").containsEntry("duration", "1");
  }

  private static PostManifest raw(long id, String message) {
    com.fasterxml.jackson.databind.JsonNode msg = Drill.json(message);
    return new PostManifest("k" + id, -1, id, 1000 + id, 0, "h", null, msg.path("text").asText(null), null, null,
        null, false, false, null, List.of(), true, Instant.EPOCH, msg);
  }

  private static PostManifest post(long id, String group, String kind, long size, String caption) {
    MediaEntry m = new MediaEntry(kind, "stored", "u" + id, "f" + id, "media/u" + id + ".bin", size, "00", null,
        null, 100, 100, 1, null);
    return new PostManifest("k" + id, -1, id, 1000 + id, 0, "hash", group, null, null, caption, null, false, false,
        null, List.of(m), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
  }
}
