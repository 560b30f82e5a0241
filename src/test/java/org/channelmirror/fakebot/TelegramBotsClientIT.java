package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMediaGroup;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.File;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaPhoto;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaVideo;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/** The real TelegramBots 10.2 client against the fake: proves the JSON parses into the library's types. */
class TelegramBotsClientIT extends FakeBotFixture {
  static final long CH = -1001234567890L;
  OkHttpTelegramClient client;

  @BeforeEach
  void createClient() {
    OkHttpClient ok = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    client = new OkHttpTelegramClient(ok, api.token(), new TelegramUrl("http", "127.0.0.1", api.port(), false));
  }

  @Test
  void getMeAndDeleteWebhook() throws Exception {
    User me = client.execute(new GetMe());
    assertThat(me.getId()).isEqualTo(123456789L);
    assertThat(me.getIsBot()).isTrue();
    assertThat(client.execute(new DeleteWebhook())).isTrue();
  }

  @Test
  void sampleChannelParsesIntoTelegramBotsTypes() throws Exception {
    List<PublishedPost> posts = SampleChannel.publish(api, CH);
    assertThat(posts).hasSize(14);
    List<Update> ups = client.execute(GetUpdates.builder().offset(1).limit(100).timeout(0)
        .allowedUpdates(List.of("channel_post", "edited_channel_post")).build());
    assertThat(ups).hasSize(14);
    Message text = ups.get(0).getChannelPost();
    assertThat(text.getText()).startsWith("Welcome");
    assertThat(text.getEntities()).extracting(e -> e.getType()).containsExactly("bold", "url");
    assertThat(text.getFrom()).isNull();
    assertThat(text.getSenderChat().getId()).isEqualTo(CH);

    Message photo = ups.get(1).getChannelPost();
    assertThat(photo.hasPhoto()).isTrue();
    assertThat(photo.getPhoto()).hasSize(3);
    assertThat(photo.getPhoto().get(2).getWidth()).isEqualTo(1280);
    assertThat(photo.getCaptionEntities()).extracting(e -> e.getType()).containsExactly("bold", "url", "hashtag");
    var bold = photo.getCaptionEntities().get(0);
    assertThat(photo.getCaption().substring(bold.getOffset(), bold.getOffset() + bold.getLength()))
        .isEqualTo("Sunset at the pier");
    assertThat(photo.getAuthorSignature()).isEqualTo("Anna K.");

    assertThat(ups.get(2).getChannelPost().getVideo().getFileName()).isEqualTo("pier_timelapse.mp4");
    Message anim = ups.get(3).getChannelPost();
    assertThat(anim.hasAnimation()).isTrue();
    assertThat(anim.hasDocument()).isTrue();
    assertThat(ups.get(4).getChannelPost().getDocument().getFileName()).isEqualTo("Q3-report.pdf");
    assertThat(ups.get(5).getChannelPost().getAudio().getTitle()).isEqualTo("Harbour sounds");
    assertThat(ups.get(6).getChannelPost().hasVoice()).isTrue();
    assertThat(ups.get(7).getChannelPost().hasVideoNote()).isTrue();
    assertThat(ups.get(8).getChannelPost().getSticker().getEmoji()).isEqualTo("😀");
    List<Message> album = List.of(ups.get(9).getChannelPost(), ups.get(10).getChannelPost(),
        ups.get(11).getChannelPost());
    assertThat(album).extracting(Message::getMediaGroupId).containsOnly(album.get(0).getMediaGroupId());
    assertThat(album.get(0).getCaption()).startsWith("Weekend album");
    assertThat(album.get(1).hasVideo()).isTrue();
    Message edited = ups.get(12).getEditedChannelPost();
    assertThat(edited.getMessageId()).isEqualTo(photo.getMessageId());
    assertThat(edited.getEditDate()).isNotNull();
    assertThat(edited.getPhoto().get(2).getFileUniqueId()).isNotEqualTo(photo.getPhoto().get(2).getFileUniqueId());
    Message repost = ups.get(13).getChannelPost();
    assertThat(repost.getDocument().getFileUniqueId())
        .isEqualTo(ups.get(4).getChannelPost().getDocument().getFileUniqueId());
    assertThat(repost.getDocument().getFileId()).isNotEqualTo(ups.get(4).getChannelPost().getDocument().getFileId());

    File f = client.execute(new GetFile(repost.getDocument().getFileId()));
    assertThat(f.getFilePath()).matches("documents/file_\\d+\\.pdf");
    assertThat(f.getFileSize()).isEqualTo(200_000L);
    assertThat(new BotHttp(api).file(f.getFilePath(), null).body()).hasSize(200_000);
  }

  @Test
  void sendDocumentUploadIsHashedAndRecorded(@TempDir Path dir) throws Exception {
    api.channel(CH, "Restore target", null);
    Path file = dir.resolve("backup.bin");
    FileContent content = FileContent.random(11, 3_000_000);
    try (var in = content.open(0)) {
      Files.copy(in, file);
    }
    Message m = client.execute(SendDocument.builder().chatId(CH).document(new InputFile(file.toFile(),
        "restored_1.pdf")).caption("restored").build());
    assertThat(m.getDocument().getFileName()).isEqualTo("restored_1.pdf");
    assertThat(m.getDocument().getFileSize()).isEqualTo(3_000_000L);
    assertThat(m.getCaption()).isEqualTo("restored");
    SentMessage s = api.sent(CH).get(0);
    assertThat(s.method()).isEqualTo("senddocument");
    assertThat(s.sha256Hex()).isEqualTo(content.sha256Hex());
    assertThat(s.size()).isEqualTo(3_000_000L);
    assertThat(s.fileIdUsed()).isNull();
    assertThat(s.messageId()).isEqualTo(m.getMessageId());
    RecordedRequest req = api.requests().get(api.requests().size() - 1);
    assertThat(req.method()).isEqualTo("senddocument");
    assertThat(req.params().get("chat_id").asText()).isEqualTo(Long.toString(CH));
    assertThat(req.params().get("restored_1.pdf").get("sha256").asText()).isEqualTo(content.sha256Hex());
    assertThat(api.pendingUpdates()).as("own messages are not delivered").isZero();

    // the uploaded file can be fetched again by its new file_id
    File back = client.execute(new GetFile(m.getDocument().getFileId()));
    assertThat(FilesIT.sha(new BotHttp(api).file(back.getFilePath(), null).body())).isEqualTo(content.sha256Hex());
  }

  @Test
  void sendMediaGroupReturnsOneMessagePerItem(@TempDir Path dir) throws Exception {
    api.channel(CH, "Restore target", null);
    Path p1 = dir.resolve("a.jpg");
    Path p2 = dir.resolve("b.mp4");
    Files.write(p1, FileContent.jpeg(1, 200, 100).open(0).readAllBytes());
    Files.write(p2, FileContent.random(2, 10_000).open(0).readAllBytes());
    InputMediaPhoto photo = new InputMediaPhoto(p1.toFile(), "restored_1.jpg");
    photo.setCaption("album caption");
    InputMediaVideo video = new InputMediaVideo(p2.toFile(), "restored_2.mp4");
    List<Message> out = client.execute(SendMediaGroup.builder().chatId(CH).medias(List.of(photo, video)).build());
    assertThat(out).hasSize(2);
    assertThat(out.get(0).hasPhoto()).isTrue();
    assertThat(out.get(1).hasVideo()).isTrue();
    assertThat(out.get(0).getMediaGroupId()).isNotNull().isEqualTo(out.get(1).getMediaGroupId());
    assertThat(out.get(0).getCaption()).isEqualTo("album caption");
    List<SentMessage> sent = api.sent(CH);
    assertThat(sent).extracting(SentMessage::kind).containsExactly("photo", "video");
    assertThat(sent).extracting(SentMessage::mediaGroupId).containsOnly(out.get(0).getMediaGroupId());
    assertThat(sent.get(1).sha256Hex()).isEqualTo(FilesIT.sha(Files.readAllBytes(p2)));
    assertThat(sent.get(0).caption()).isEqualTo("album caption");
  }

  @Test
  void floodWaitSurfacesAsTelegramApiRequestException() throws Exception {
    api.channel(CH, "c", null);
    api.faults().floodWait("sendMessage", 7, 1);
    TelegramApiRequestException e = (TelegramApiRequestException) org.assertj.core.api.Assertions.catchThrowable(
        () -> client.execute(SendMessage.builder().chatId(CH).text("hi").build()));
    assertThat(e.getErrorCode()).isEqualTo(429);
    assertThat(e.getParameters().getRetryAfter()).isEqualTo(7);
    assertThat(e.getApiResponse()).isEqualTo("Too Many Requests: retry after 7");
    assertThat(client.execute(SendMessage.builder().chatId(CH).text("hi").build()).getText()).isEqualTo("hi");
    assertThatThrownBy(() -> client.execute(new GetFile("nope"))).isInstanceOf(TelegramApiRequestException.class)
        .hasMessageContaining("invalid file_id");
  }
}
