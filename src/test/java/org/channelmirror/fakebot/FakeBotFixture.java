package org.channelmirror.fakebot;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh fake Bot API (cloud mode, defaults) for each test, with plain-HTTP access to it. */
abstract class FakeBotFixture {
  FakeBotApi api;
  BotHttp http;

  @BeforeEach
  void startFakeBot() throws Exception {
    api = FakeBotApi.start(FakeBotApi.Options.defaults());
    http = new BotHttp(api);
  }

  @AfterEach
  void stopFakeBot() {
    api.close();
  }
}
