package org.channelmirror.fakebot;

import java.util.ArrayList;
import java.util.List;

/** A realistic little channel (every media kind, an album, an edit, a repost) for {@code demo} and {@code simulate}. */
public final class SampleChannel {
  private SampleChannel() {}

  /** Publishes the sample posts into {@code chatId} (created as "Sample Channel" if unknown), in order. */
  public static List<PublishedPost> publish(FakeBotApi api, long chatId) {
    Channel ch = api.channel(chatId, "Sample Channel", "sample_mirror_channel");
    List<PublishedPost> out = new ArrayList<>();

    String welcome = "Welcome to the sample channel! Docs: https://example.com/docs";
    out.add(ch.post().text(welcome, MessageEntityJson.of("bold", 0, 7),
        MessageEntityJson.of("url", welcome.indexOf("https"), "https://example.com/docs".length())).publish());

    String sunset = "🌅 Sunset at the pier — full set at https://example.com/pier #travel";
    PublishedPost photo = ch.post().photo(FileContent.jpeg(1, 1280, 853))
        .caption(sunset, MessageEntityJson.of("bold", 3, 18),
            MessageEntityJson.of("url", sunset.indexOf("https"), "https://example.com/pier".length()),
            MessageEntityJson.of("hashtag", sunset.indexOf("#travel"), 7))
        .authorSignature("Anna K.").publish();
    out.add(photo);

    out.add(ch.post().video(FileContent.random(3, 300_000), "pier_timelapse.mp4", "video/mp4", 1920, 1080, 42)
        .caption("Pier timelapse").publish());
    out.add(ch.post().animation(FileContent.random(4, 150_000), "waves.mp4", "video/mp4", 480, 270, 3).publish());
    String report = "Q3 report (PDF) — internal";
    PublishedPost doc = ch.post().document(FileContent.random(5, 200_000), "Q3-report.pdf", "application/pdf")
        .caption(report, MessageEntityJson.of("bold", 0, 9)).publish();
    out.add(doc);
    out.add(ch.post().audio(FileContent.random(6, 400_000), "harbour_sounds.mp3", "audio/mpeg", "Harbour sounds",
        "Anna K.", 95).publish());
    out.add(ch.post().voice(FileContent.random(7, 30_000), "audio/ogg", 4).publish());
    out.add(ch.post().videoNote(FileContent.random(8, 120_000), 240, 6).publish());
    out.add(ch.post().sticker(FileContent.random(9, 20_000), "😀", false, false).publish());

    String album = "1412345678" + (10_000 + Math.floorMod(chatId, 90_000));
    out.add(ch.post().mediaGroup(album).photo(FileContent.jpeg(10, 1024, 768))
        .caption("Weekend album: 3 shots from the harbour", MessageEntityJson.of("italic", 0, 13)).publish());
    out.add(ch.post().mediaGroup(album)
        .video(FileContent.random(11, 250_000), "harbour_boats.mp4", "video/mp4", 1080, 1920, 9).publish());
    out.add(ch.post().mediaGroup(album).photo(FileContent.jpeg(12, 768, 1024)).publish());

    String edited = "Sunset at the pier (edited: now with location) #travel";
    out.add(ch.edit(photo.messageId()).photo(FileContent.jpeg(13, 1280, 960))
        .caption(edited, MessageEntityJson.of("bold", 0, 18),
            MessageEntityJson.of("hashtag", edited.indexOf("#travel"), 7)).publish());

    out.add(ch.post().document(doc.files().get(0), "Q3-report.pdf", "application/pdf")
        .caption("Reposting the Q3 report").publish());
    return out;
  }
}
