package org.channelmirror.fakebot;

/** A non-channel chat; posts there arrive as "message" updates with a {@code from} user. */
public final class Group {
  private final FakeBotApi api;
  private final ChatState chat;

  Group(FakeBotApi api, ChatState chat) {
    this.api = api;
    this.chat = chat;
  }

  public long id() {
    return chat.id;
  }

  public PostBuilder post() {
    return new PostBuilder(api, chat, null);
  }
}
