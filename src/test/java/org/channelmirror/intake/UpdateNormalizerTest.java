package org.channelmirror.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.channelmirror.catalog.MediaKind;
import org.junit.jupiter.api.Test;

class UpdateNormalizerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long CH = -1001987654321L;
  final UpdateNormalizer normalizer = new UpdateNormalizer(Set.of(CH));

  static JsonNode update(String json) throws Exception {
    return JSON.readTree(json.replace('\'', '"'));
  }

  static String post(String type, String body) {
    return "{'update_id':5,'" + type + "':{'message_id':42,'chat':{'id':" + CH
        + ",'title':'T','type':'channel'},'date':1767268800" + body + "}}";
  }

  @Test
  void photoKeepsOnlyTheLargestSize() throws Exception {
    var out = normalizer.normalize(update(post("channel_post", ",'photo':["
        + "{'file_id':'a','file_unique_id':'ua','file_size':10,'width':90,'height':60},"
        + "{'file_id':'c','file_unique_id':'uc','file_size':900,'width':1280,'height':853},"
        + "{'file_id':'b','file_unique_id':'ub','file_size':100,'width':320,'height':213}],'caption':'x'")));
    var p = (UpdateNormalizer.Outcome.Post) out;
    assertThat(p.version().media()).singleElement().satisfies(m -> {
      assertThat(m.fileUniqueId()).isEqualTo("uc");
      assertThat(m.kind()).isEqualTo(MediaKind.PHOTO);
      assertThat(m.mimeType()).isEqualTo("image/jpeg");
      assertThat(m.width()).isEqualTo(1280);
    });
  }

  @Test
  void animationWinsOverItsDocumentTwin() throws Exception {
    var p = (UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("channel_post",
        ",'animation':{'file_id':'f','file_unique_id':'u','duration':3,'width':1,'height':1,'file_name':'a.mp4'},"
            + "'document':{'file_id':'f','file_unique_id':'u','file_name':'a.mp4'}")));
    assertThat(p.version().media()).singleElement().extracting(m -> m.kind()).isEqualTo(MediaKind.ANIMATION);
  }

  /**
   * Paid media (Bot API 7.6+) carries its files under paid_media.paid_media[]: a "photo" item has the
   * sizes array, a "video" item a Video. They are the post's media like any other (they were
   * dropped, and the manifest said "complete" with no media); a "preview" item has no file.
   */
  @Test
  void paidMediaPhotosAndVideosAreThePostsMedia() throws Exception {
    var p = (UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("channel_post",
        ",'paid_media':{'star_count':5,'paid_media':["
            + "{'type':'photo','photo':[{'file_id':'s','file_unique_id':'us','file_size':10,'width':90,'height':60},"
            + "{'file_id':'l','file_unique_id':'ul','file_size':900,'width':1280,'height':853}]},"
            + "{'type':'preview','width':1280,'height':720,'duration':5},"
            + "{'type':'video','video':{'file_id':'v','file_unique_id':'uv','file_size':5000,'width':1280,"
            + "'height':720,'duration':5,'mime_type':'video/mp4'}}]},'caption':'paid'")));
    assertThat(p.version().media()).extracting(m -> m.kind() + ":" + m.fileUniqueId())
        .containsExactly("PHOTO:ul", "VIDEO:uv");
    assertThat(p.version().media().get(1).mimeType()).isEqualTo("video/mp4");
  }

  /**
   * A live photo (Bot API 10.0) is a short video with a still: the message has live_photo (the
   * video's file) and photo. Both are the post's media; only the still was kept, and the moving part
   * was lost without a word. A paid "live_photo" item carries the same object, its still inside.
   */
  @Test
  void aLivePhotoKeepsItsVideoBesideItsStill() throws Exception {
    var p = (UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("channel_post",
        ",'live_photo':{'file_id':'lv','file_unique_id':'ulv','width':1080,'height':1440,'duration':3,"
            + "'mime_type':'video/mp4','file_size':300000},"
            + "'photo':[{'file_id':'s','file_unique_id':'us','file_size':10,'width':90,'height':120},"
            + "{'file_id':'l','file_unique_id':'ul','file_size':900,'width':1080,'height':1440}],'caption':'live'")));
    assertThat(p.version().media()).extracting(m -> m.kind() + ":" + m.fileUniqueId())
        .containsExactly("PHOTO:ul", "LIVE_PHOTO:ulv");
    assertThat(p.version().media().get(1).duration()).isEqualTo(3);

    var paid = (UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("channel_post",
        ",'paid_media':{'star_count':3,'paid_media':[{'type':'live_photo','live_photo':{'file_id':'pv',"
            + "'file_unique_id':'upv','width':640,'height':640,'duration':2,'photo':[{'file_id':'ps',"
            + "'file_unique_id':'ups','file_size':40,'width':640,'height':640}]}}]}")));
    assertThat(paid.version().media()).extracting(m -> m.kind() + ":" + m.fileUniqueId())
        .containsExactly("PHOTO:ups", "LIVE_PHOTO:upv");
  }

  @Test
  void videoNoteLengthIsItsSize() throws Exception {
    var p = (UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("channel_post",
        ",'video_note':{'duration':5,'length':240,'file_id':'f','file_unique_id':'u'}")));
    assertThat(p.version().media().get(0).width()).isEqualTo(240);
    assertThat(p.version().media().get(0).height()).isEqualTo(240);
  }

  @Test
  void textPostHasNoMediaAndEditsAreSeparateVersions() throws Exception {
    var original = (UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("channel_post", ",'text':'hi'")));
    var edit = (UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("edited_channel_post",
        ",'edit_date':1767268900,'text':'hi!'")));
    assertThat(original.version().media()).isEmpty();
    assertThat(original.version().editDate()).isZero();
    assertThat(edit.version().editDate()).isEqualTo(1767268900L);
    assertThat(edit.version().contentHash()).isNotEqualTo(original.version().contentHash());
  }

  @Test
  void contentHashIgnoresFileIdsButNotFiles() throws Exception {
    String a = post("channel_post", ",'document':{'file_id':'one','file_unique_id':'u1'}");
    String b = post("channel_post", ",'document':{'file_id':'two','file_unique_id':'u1'}");
    String c = post("channel_post", ",'document':{'file_id':'one','file_unique_id':'u2'}");
    String ha = ((UpdateNormalizer.Outcome.Post) normalizer.normalize(update(a))).version().contentHash();
    assertThat(((UpdateNormalizer.Outcome.Post) normalizer.normalize(update(b))).version().contentHash()).isEqualTo(ha);
    assertThat(((UpdateNormalizer.Outcome.Post) normalizer.normalize(update(c))).version().contentHash()).isNotEqualTo(ha);
  }

  /**
   * Two edits within one second share edit_date; the hash must keep them apart (README) whatever
   * changed: a live location's position or a spoiler toggle too, not only text and files. An edit
   * that hashed like the one before was taken for a replay and never got its manifest.
   */
  @Test
  void contentHashSeesEveryVisibleChangeAndKeepsOldHashesForPlainPosts() throws Exception {
    String[] sameSecond = {
        ",'edit_date':9,'location':{'latitude':1.1,'longitude':2.0,'live_period':600}",
        ",'edit_date':9,'location':{'latitude':1.2,'longitude':2.0,'live_period':600}",
        ",'edit_date':9,'photo':[{'file_id':'p','file_unique_id':'up','width':1,'height':1}],'caption':'c'",
        ",'edit_date':9,'photo':[{'file_id':'p','file_unique_id':'up','width':1,'height':1}],'caption':'c',"
            + "'has_media_spoiler':true",
        ",'edit_date':9,'photo':[{'file_id':'p','file_unique_id':'up','width':1,'height':1}],'caption':'c',"
            + "'show_caption_above_media':true",
        ",'edit_date':9,'venue':{'location':{'latitude':1.1,'longitude':2.0},'title':'A','address':'x'}",
        ",'edit_date':9,'text':'t','link_preview_options':{'is_disabled':true}",
        ",'edit_date':9,'text':'t'"};
    java.util.Set<String> hashes = new java.util.HashSet<>();
    for (String body : sameSecond) {
      hashes.add(((UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("edited_channel_post", body))))
          .version().contentHash());
    }
    assertThat(hashes).hasSize(sameSecond.length);
    // a poll's vote counts are no edit of the post
    assertThat(((UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("edited_channel_post",
        ",'edit_date':9,'poll':{'id':'1','question':'Q?','options':[{'text':'a','voter_count':3}]}"))))
        .version().contentHash()).isEqualTo(((UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post(
        "edited_channel_post", ",'edit_date':9,'poll':{'id':'1','question':'Q?','options':[{'text':'a',"
        + "'voter_count':4}]}")))).version().contentHash());
    // manifests already in buckets are keyed by the hash: a plain post keeps the one it always had
    String text = ((UpdateNormalizer.Outcome.Post) normalizer.normalize(update(post("channel_post",
        ",'text':'hi','entities':[{'offset':0,'length':2,'type':'bold'}]"))))
        .version().contentHash();
    assertThat(text).isEqualTo(sha256Hex("{\"text\":\"hi\",\"entities\":[{\"offset\":0,\"length\":2,"
        + "\"type\":\"bold\"}],\"files\":[]}"));
  }

  private static String sha256Hex(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void otherChatsAreForeignAndPrivateMessagesAreRouted() throws Exception {
    assertThat(normalizer.normalize(update("{'update_id':1,'channel_post':{'message_id':1,'chat':{'id':-100555,'type':'channel'},'date':1}}")))
        .isInstanceOf(UpdateNormalizer.Outcome.Foreign.class);
    assertThat(normalizer.normalize(update("{'update_id':1,'message':{'message_id':1,'chat':{'id':-555,'type':'group'},'date':1,'text':'x'}}")))
        .isInstanceOf(UpdateNormalizer.Outcome.Foreign.class);
    var pm = normalizer.normalize(update("{'update_id':1,'message':{'message_id':1,'from':{'id':77},'chat':{'id':77,'type':'private'},'date':1,'text':'/status'}}"));
    assertThat(pm).isEqualTo(new UpdateNormalizer.Outcome.Private(77, 77, "/status"));
  }

  @Test
  void aUserStartingTheBotInPrivateIsNoChatToLeave() throws Exception {
    assertThat(normalizer.normalize(update("{'update_id':1,'my_chat_member':{'chat':{'id':77,'type':'private',"
        + "'first_name':'Anna'},'from':{'id':77},'date':9,'old_chat_member':{'status':'left'},"
        + "'new_chat_member':{'status':'member'}}}"))).isInstanceOf(UpdateNormalizer.Outcome.Ignore.class);
    // a group that added the bot is still left
    assertThat(normalizer.normalize(update("{'update_id':1,'my_chat_member':{'chat':{'id':-555,'type':'group'},"
        + "'date':9,'old_chat_member':{'status':'left'},'new_chat_member':{'status':'member'}}}")))
        .isInstanceOf(UpdateNormalizer.Outcome.Foreign.class);
  }

  @Test
  void membershipChangesOfConfiguredChannelsAreRecorded() throws Exception {
    var m = normalizer.normalize(update("{'update_id':1,'my_chat_member':{'chat':{'id':" + CH + ",'title':'T','type':'channel'},"
        + "'date':9,'old_chat_member':{'status':'administrator'},'new_chat_member':{'status':'left'}}}"));
    assertThat(m).isEqualTo(new UpdateNormalizer.Outcome.Membership(CH, "T", null, "left", 9));
  }

  @Test
  void malformedUpdatesAreRejectedWithAReasonNeverThrown() throws Exception {
    for (String bad : new String[] {
        post("channel_post", ",'photo':'not an array'"),
        post("channel_post", ",'photo':[]"),
        post("channel_post", ",'document':{'file_id':'x'}"),
        "{'update_id':1,'channel_post':{'chat':{'id':" + CH + "}}}",
        "{'update_id':1,'channel_post':{'message_id':'abc','chat':{'id':" + CH + "}}}",
        "{'update_id':1,'channel_post':{'message_id':1,'chat':'nope'}}",
        "{'update_id':1,'channel_post':[1,2]}",
    }) {
      assertThat(normalizer.normalize(update(bad))).as(bad).isInstanceOf(UpdateNormalizer.Outcome.Reject.class);
    }
  }

  @Test
  void unknownFieldsAndUpdateTypesAreTolerated() throws Exception {
    var p = normalizer.normalize(update(post("channel_post", ",'text':'x','brand_new_field':{'a':1}")));
    assertThat(p).isInstanceOf(UpdateNormalizer.Outcome.Post.class);
    assertThat(((UpdateNormalizer.Outcome.Post) p).version().rawJson()).contains("brand_new_field");
    assertThat(normalizer.normalize(update("{'update_id':1,'poll':{'id':'1'}}"))).isInstanceOf(UpdateNormalizer.Outcome.Ignore.class);
  }
}
