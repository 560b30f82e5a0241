package org.channelmirror.recovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The export's {@code index.html}: one self-contained page (inline CSS, no scripts, no external
 * assets) that works from {@code file://}. Posts in message order; an album is one block.
 */
final class Html {
  private static final String CSS = """
      :root{color-scheme:light dark;--bg:#eef2f5;--card:#fff;--muted:#6b7785;--accent:#2a7ab0}
      @media (prefers-color-scheme:dark){:root{--bg:#0e1621;--card:#17212b;--muted:#8b98a5;--accent:#6ab3f3}}
      body{margin:0;background:var(--bg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
      header,main{max-width:720px;margin:0 auto;padding:12px}
      h1{margin:8px 0 0;font-size:22px} header p{margin:4px 0;color:var(--muted)}
      article{background:var(--card);border-radius:12px;margin:12px 0;padding:10px 12px;box-shadow:0 1px 2px #0002}
      .meta{color:var(--muted);font-size:13px;margin-bottom:6px} .meta a{color:inherit}
      .text{white-space:pre-wrap;overflow-wrap:anywhere} .caption{margin-top:6px}
      .media{display:grid;gap:4px;grid-template-columns:repeat(auto-fit,minmax(200px,1fr))}
      .media img,.media video{width:100%;height:auto;border-radius:8px;display:block}
      .media img.sticker{width:180px} video.round{width:240px;height:240px;border-radius:50%;object-fit:cover}
      audio{width:100%} .file{display:block;padding:8px;border:1px solid #8884;border-radius:8px}
      .missing{padding:10px;border:1px dashed #c55;border-radius:8px;color:#c55;font-size:13px}
      a{color:var(--accent)} pre{background:#8881;padding:8px;border-radius:6px;overflow:auto}
      code{background:#8881;border-radius:4px;padding:0 3px}
      blockquote{border-left:3px solid var(--accent);margin:4px 0;padding:2px 8px}
      .spoiler{background:currentColor;border-radius:3px} .spoiler:hover{background:transparent}
      .entity-hashtag,.entity-cashtag,.entity-bot_command{color:var(--accent)}
      .poll ul{margin:4px 0;padding-left:20px} .poll .question{font-weight:600}
      """;

  private Html() {}

  static String page(Exporter.ChannelInfo info, List<PostManifest> posts, Map<String, String> paths,
      Instant generated) {
    StringBuilder sb = new StringBuilder(8192);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Entities.escape(info.title())).append("</title>\n<style>\n").append(CSS)
        .append("</style>\n</head>\n<body>\n<header>\n<h1>").append(Entities.escape(info.title())).append("</h1>\n<p>")
        .append(info.username() == null ? "" : "@" + Entities.escape(info.username()) + " · ")
        .append(posts.size()).append(" posts · channel ").append(info.chatId())
        .append(" · exported by channel-mirror on ").append(Exporter.humanDate(generated.getEpochSecond()))
        .append("</p>\n</header>\n<main>\n");
    for (List<PostManifest> run : PostManifest.albums(posts)) {
      article(sb, run, paths);
    }
    sb.append("</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  private static void article(StringBuilder sb, List<PostManifest> group, Map<String, String> paths) {
    PostManifest first = group.get(0);
    boolean album = first.mediaGroupId() != null;
    sb.append("<article class=\"post").append(album ? " album" : "").append("\" id=\"m").append(first.messageId())
        .append("\">\n<div class=\"meta\">");
    for (PostManifest p : group) {
      if (p != first) {
        sb.append("<span id=\"m").append(p.messageId()).append("\"></span>");
      }
    }
    sb.append("<a href=\"#m").append(first.messageId()).append("\">#").append(first.messageId());
    if (group.size() > 1) {
      sb.append("–").append(group.get(group.size() - 1).messageId());
    }
    sb.append("</a> · <time datetime=\"").append(Instant.ofEpochSecond(first.date())).append("\">")
        .append(Exporter.humanDate(first.date())).append("</time>");
    long edited = group.stream().mapToLong(PostManifest::editDate).max().orElse(0);
    if (edited > 0) {
      sb.append(" · <span class=\"edited\">edited ").append(Exporter.humanDate(edited)).append("</span>");
    }
    if (first.authorSignature() != null) {
      sb.append(" · <span class=\"author\">").append(Entities.escape(first.authorSignature())).append("</span>");
    }
    String forwarded = OtherContent.forwardedFrom(first.message());
    if (forwarded != null) {
      sb.append(" · <span class=\"forwarded\">forwarded from ").append(Entities.escape(forwarded)).append("</span>");
    }
    long replyTo = OtherContent.replyTo(first.message());
    if (replyTo > 0) {
      sb.append(" · <span class=\"reply\">in reply to <a href=\"#m").append(replyTo).append("\">#").append(replyTo)
          .append("</a></span>");
    }
    sb.append("</div>\n");
    List<String> media = new ArrayList<>();
    for (PostManifest p : group) {
      for (MediaEntry m : p.media()) {
        media.add(media(p, m, paths));
      }
    }
    StringBuilder texts = new StringBuilder();
    for (PostManifest p : group) {
      texts.append(OtherContent.html(p.message()));
      if (p.text() != null) {
        texts.append("<div class=\"text\">").append(Entities.html(p.text(), p.entities())).append("</div>\n");
      }
      if (p.caption() != null) {
        texts.append("<div class=\"text caption\">").append(Entities.html(p.caption(), p.captionEntities()))
            .append("</div>\n");
      }
    }
    // as Telegram shows it: the author may have put the caption above the media
    boolean captionAbove = group.stream().anyMatch(PostManifest::showCaptionAboveMedia);
    if (captionAbove) {
      sb.append(texts);
    }
    if (!media.isEmpty()) {
      sb.append("<div class=\"media\">\n");
      media.forEach(m -> sb.append(m).append('\n'));
      sb.append("</div>\n");
    }
    if (!captionAbove) {
      sb.append(texts);
    }
    sb.append("</article>\n");
  }

  private static String media(PostManifest p, MediaEntry m, Map<String, String> paths) {
    String path = m.stored() ? paths.get(m.objectKey()) : null;
    if (path == null) {
      return "<div class=\"missing\">" + Entities.escape(m.kind().replace('_', ' ')) + " not in the backup"
          + (m.stored() ? " copy (see the export's messages)" : " (" + Entities.escape(m.state())
          + (m.reason() == null ? "" : ": " + Entities.escape(m.reason())) + ")") + "</div>";
    }
    String src = Entities.attr(href(path));
    String dims = m.width() != null && m.height() != null
        ? " width=\"" + m.width() + "\" height=\"" + m.height() + "\"" : "";
    String name = Entities.escape(m.fileName() != null ? m.fileName() : path.substring(path.lastIndexOf('/') + 1));
    String ext = Restorer.extension(path);
    return switch (m.kind()) {
      case "photo" -> "<a href=\"" + src + "\"><img src=\"" + src + "\" alt=\"photo\"" + dims + "></a>";
      case "video", "live_photo" -> "<video controls preload=\"metadata\" src=\"" + src + "\"" + dims + "></video>";
      case "animation" -> "<video controls autoplay loop muted playsinline src=\"" + src + "\"" + dims + "></video>";
      case "video_note" -> "<video class=\"round\" controls preload=\"metadata\" src=\"" + src + "\"></video>";
      case "audio", "voice" -> "<div>" + (m.kind().equals("audio") ? "<div>" + name + "</div>" : "")
          + "<audio controls preload=\"metadata\" src=\"" + src + "\"></audio></div>";
      case "sticker" -> ext.equals("webm")
          ? "<video class=\"sticker\" autoplay loop muted playsinline src=\"" + src + "\"></video>"
          : ext.equals("webp") || ext.equals("png")
          ? "<img class=\"sticker\" src=\"" + src + "\" alt=\"sticker\">"
          : "<a class=\"file\" href=\"" + src + "\">sticker (" + name + ")</a>";
      default -> "<a class=\"file\" href=\"" + src + "\">" + name + " · " + size(m.size()) + "</a>";
    };
  }

  /** A relative URL for an export path: every byte outside URI's unreserved characters percent-encoded. */
  static String href(String path) {
    StringBuilder sb = new StringBuilder();
    for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
        sb.append(c);
      } else {
        sb.append('%').append(java.util.HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return sb.toString();
  }

  private static String size(Long bytes) {
    if (bytes == null) {
      return "";
    }
    return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
        : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
