package org.channelmirror.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Normalisation never throws, whatever Telegram (or an attacker) sends, and is deterministic. */
class UpdateNormalizerPropertiesTest {
  static final long CH = -1001L;
  static final JsonNodeFactory F = JsonNodeFactory.instance;
  final UpdateNormalizer normalizer = new UpdateNormalizer(Set.of(CH));

  @Provide
  Arbitrary<JsonNode> anyValue() {
    return Arbitraries.recursive(
        () -> Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(2000).map(F::textNode),
            Arbitraries.longs().map(F::numberNode),
            Arbitraries.doubles().map(F::numberNode),
            Arbitraries.of(F.booleanNode(true), F.nullNode())),
        inner -> Arbitraries.oneOf(
            inner.list().ofMaxSize(4).map(l -> { var a = F.arrayNode(); l.forEach(a::add); return a; }),
            Combinators.combine(Arbitraries.of("file_id", "file_unique_id", "width", "height", "file_size",
                "file_name", "mime_type", "duration", "length", "x"), inner).as((k, v) -> F.objectNode().set(k, v))),
        3);
  }

  @Provide
  Arbitrary<JsonNode> updates() {
    Arbitrary<String> field = Arbitraries.of("photo", "video", "animation", "document", "audio", "voice",
        "video_note", "sticker", "text", "caption", "caption_entities", "media_group_id", "message_id", "chat",
        "edit_date", "date", "unknown_field");
    Arbitrary<List<String>> fields = field.list().ofMaxSize(6);
    return Combinators.combine(Arbitraries.of("channel_post", "edited_channel_post", "message", "my_chat_member", "poll"),
        fields, anyValue().list().ofSize(6), Arbitraries.of(CH, -5L, 7L)).as((type, names, values, chat) -> {
          ObjectNode msg = F.objectNode();
          msg.put("message_id", 3);
          msg.set("chat", F.objectNode().put("id", chat).put("type", "channel"));
          for (int i = 0; i < names.size(); i++) {
            msg.set(names.get(i), values.get(i));
          }
          ObjectNode u = F.objectNode();
          u.put("update_id", 1);
          u.set(type, msg);
          return u;
        });
  }

  @Property(tries = 1000)
  void neverThrowsAndIsDeterministic(@ForAll("updates") JsonNode update) throws Exception {
    UpdateNormalizer.Outcome a = normalizer.normalize(update);
    JsonNode copy = new ObjectMapper().readTree(update.toString());
    UpdateNormalizer.Outcome b = normalizer.normalize(copy);
    assertThat(a).isNotNull();
    assertThat(a.getClass()).isEqualTo(b.getClass());
    if (a instanceof UpdateNormalizer.Outcome.Post p) {
      assertThat(p.version().chatId()).isEqualTo(CH);
      assertThat(p.version().contentHash()).hasSize(64)
          .isEqualTo(((UpdateNormalizer.Outcome.Post) b).version().contentHash());
      p.version().media().forEach(m -> {
        assertThat(m.fileUniqueId()).isNotEmpty();
        assertThat(m.fileId()).isNotEmpty();
      });
      assertThat(p.version().media()).hasSizeLessThanOrEqualTo(1);
    }
    if (a instanceof UpdateNormalizer.Outcome.Reject r) {
      assertThat(r.reason()).isNotBlank();
    }
  }
}
