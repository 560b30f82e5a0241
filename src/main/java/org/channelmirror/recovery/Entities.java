package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Telegram text with MessageEntity formatting, rendered as HTML and as Telegram Desktop's
 * {@code text_entities}. Offsets and lengths count UTF-16 code units, which is what a Java
 * {@code String} indexes, so they apply to the text unchanged. Entities may nest, and may even
 * overlap partially: an inner element is closed and reopened around the end of an outer one.
 */
final class Entities {
  private static final Map<String, String> DESKTOP_TYPES = Map.of("url", "link", "text_mention", "mention_name",
      "phone_number", "phone", "expandable_blockquote", "blockquote");

  private Entities() {}

  /** One entity, clamped to the text. */
  record Span(String type, int start, int end, JsonNode json) {}

  static List<Span> spans(String text, JsonNode entities) {
    List<Span> out = new ArrayList<>();
    if (entities == null || !entities.isArray()) {
      return out;
    }
    for (JsonNode e : entities) {
      int start = Math.max(0, Math.min(text.length(), e.path("offset").asInt(0)));
      int end = Math.max(start, Math.min(text.length(), start + e.path("length").asInt(0)));
      // an edge between the two halves of one character (Telegram never sends it, a damaged or
      // hand-made manifest may) takes in the whole character rather than tearing it apart
      if (splitsPair(text, start)) {
        start--;
      }
      if (splitsPair(text, end)) {
        end++;
      }
      if (end > start) {
        out.add(new Span(e.path("type").asText("unknown"), start, end, e));
      }
    }
    out.sort(Comparator.comparingInt(Span::start).thenComparing(Comparator.comparingInt(Span::end).reversed()));
    return out;
  }

  private static boolean splitsPair(String text, int at) {
    return at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))
        && Character.isLowSurrogate(text.charAt(at));
  }

  /**
   * The text as HTML: escaped and formatted. Spaces and line breaks stay as they are: the page
   * shows them with {@code white-space: pre-wrap}, as Telegram does.
   */
  static String html(String text, JsonNode entities) {
    if (text == null) {
      return "";
    }
    List<Span> spans = spans(text, entities);
    StringBuilder out = new StringBuilder(text.length() + 32);
    Deque<Span> open = new ArrayDeque<>();
    int next = 0;
    for (int pos = 0; pos <= text.length(); pos++) {
      final int at = pos;
      if (open.stream().anyMatch(s -> s.end() <= at)) {
        List<Span> reopen = new ArrayList<>();
        while (open.stream().anyMatch(s -> s.end() <= at)) {
          Span s = open.pop();
          out.append(close(s));
          if (s.end() > pos) {
            reopen.add(s);
          }
        }
        for (int i = reopen.size() - 1; i >= 0; i--) {
          Span s = reopen.get(i);
          out.append(open(s, text));
          open.push(s);
        }
      }
      while (next < spans.size() && spans.get(next).start() == pos) {
        Span s = spans.get(next++);
        out.append(open(s, text));
        open.push(s);
      }
      if (pos < text.length()) {
        escape(out, text.charAt(pos));
      }
    }
    return out.toString();
  }

  private static String open(Span s, String text) {
    JsonNode e = s.json();
    String inner = text.substring(s.start(), s.end());
    return switch (s.type()) {
      case "bold" -> "<strong>";
      case "italic" -> "<em>";
      case "underline" -> "<u>";
      case "strikethrough" -> "<s>";
      case "spoiler" -> "<span class=\"spoiler\" title=\"spoiler\">";
      case "code" -> "<code>";
      // an HTML parser drops one line break right after <pre>: give it one to drop
      case "pre" -> "<pre" + (e.hasNonNull("language") ? " data-language=\"" + attr(e.get("language").asText()) + "\""
          : "") + ">" + (inner.startsWith("\n") ? "\n" : "");
      case "text_link" -> link(e.path("url").asText(""));
      case "url" -> link(inner.matches("(?i)^[a-z][a-z0-9+.-]*://.*") ? inner : "https://" + inner);
      case "email" -> link("mailto:" + inner);
      case "phone_number" -> link("tel:" + inner.replaceAll("[^0-9+]", ""));
      case "mention" -> link("https://t.me/" + inner.replaceFirst("^@", ""));
      case "blockquote" -> "<blockquote>";
      case "expandable_blockquote" -> "<blockquote class=\"expandable\">";
      default -> "<span class=\"" + cssClass(s.type()) + "\">";
    };
  }

  private static String close(Span s) {
    return switch (s.type()) {
      case "bold" -> "</strong>";
      case "italic" -> "</em>";
      case "underline" -> "</u>";
      case "strikethrough" -> "</s>";
      case "code" -> "</code>";
      case "pre" -> "</pre>";
      case "text_link", "url", "email", "phone_number", "mention" -> "</a>";
      case "blockquote", "expandable_blockquote" -> "</blockquote>";
      default -> "</span>";
    };
  }

  /** A link when the scheme is harmless, else a plain span (never javascript: or data:). */
  private static String link(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("tg://")
        || lower.startsWith("mailto:") || lower.startsWith("tel:")) {
      return "<a href=\"" + attr(url) + "\" rel=\"noopener noreferrer\">";
    }
    return "<a>";
  }

  private static String cssClass(String type) {
    return "entity-" + type.replaceAll("[^a-z0-9_]", "");
  }

  static void escape(StringBuilder out, char c) {
    switch (c) {
      case '&' -> out.append("&amp;");
      case '<' -> out.append("&lt;");
      case '>' -> out.append("&gt;");
      case '"' -> out.append("&quot;");
      case '\'' -> out.append("&#39;");
      default -> out.append(c);
    }
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      escape(out, s.charAt(i));
    }
    return out.toString();
  }

  static String attr(String s) {
    return escape(s);
  }

  /**
   * Telegram Desktop's {@code text_entities}: the whole text as consecutive pieces, each plain or
   * of the innermost entity covering it.
   */
  static ArrayNode desktopEntities(String text, JsonNode entities) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    if (text == null || text.isEmpty()) {
      return out;
    }
    List<Span> spans = spans(text, entities);
    java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>(List.of(0, text.length()));
    spans.forEach(s -> {
      cuts.add(s.start());
      cuts.add(s.end());
    });
    Integer prev = null;
    for (int cut : cuts) {
      if (prev != null) {
        final int a = prev;
        final int b = cut;
        Span inner = null;
        for (Span s : spans) {
          if (s.start() <= a && s.end() >= b && (inner == null || s.end() - s.start() <= inner.end() - inner.start())) {
            inner = s;
          }
        }
        ObjectNode piece = out.addObject();
        piece.put("type", inner == null ? "plain" : DESKTOP_TYPES.getOrDefault(inner.type(), inner.type()));
        piece.put("text", text.substring(a, b));
        if (inner != null) {
          JsonNode e = inner.json();
          if (e.hasNonNull("url")) {
            piece.put("href", e.get("url").asText());
          }
          if (e.hasNonNull("language")) {
            piece.put("language", e.get("language").asText());
          }
          if (e.path("user").hasNonNull("id")) {
            piece.put("user_id", e.path("user").get("id").asLong());
          }
          if (e.hasNonNull("custom_emoji_id")) {
            piece.put("document_id", e.get("custom_emoji_id").asText());
          }
          if (inner.type().equals("expandable_blockquote")) {
            piece.put("collapsed", true);
          }
        }
      }
      prev = cut;
    }
    return out;
  }

  /** Telegram Desktop's {@code text}: a plain string, or pieces where plain ones are bare strings. */
  static JsonNode desktopText(ArrayNode pieces) {
    boolean plain = true;
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : pieces) {
      plain &= p.path("type").asText().equals("plain");
      sb.append(p.path("text").asText());
    }
    if (plain) {
      return JsonNodeFactory.instance.textNode(sb.toString());
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode p : pieces) {
      if (p.path("type").asText().equals("plain")) {
        out.add(p.path("text").asText());
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
