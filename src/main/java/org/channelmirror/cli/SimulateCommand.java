package org.channelmirror.cli;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.channelmirror.config.ConfigException;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.SampleChannel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    header = "Start the built-in fake Bot API alone, to try configurations against it.",
    description = "Start the built-in fake Telegram Bot API alone, with a sample channel, so you can try "
        + "configurations against it. Post more with its control API (printed at start). Ctrl-C stops "
        + "it.",
    footer = ExitCodes.SIMULATE_FOOTER)
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8081", paramLabel = "N", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Bot token the fake accepts (default: a built-in test token).")
  String token;

  @Option(names = "--channel", defaultValue = "-1001234567890", paramLabel = "ID", description = "Chat id of the sample channel (default: ${DEFAULT-VALUE}).")
  long channel;

  @Option(names = "--local-root", paramLabel = "DIR",
      description = "Behave like a self-hosted server started with --local: getFile returns absolute paths under DIR.")
  Path localRoot;

  @Option(names = "--no-sample", description = "Start with an empty channel.")
  boolean noSample;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      // the JDK's "port out of range" would end as "could not start" (3), not as bad usage
      throw new ConfigException("--port must be between 0 and 65535 (0: any free port), not " + port);
    }
    FakeBotApi.Options options = FakeBotApi.Options.defaults().withPort(port).withHost(host);
    if (token != null) {
      options = options.withToken(token);
    }
    if (localRoot != null) {
      options = options.withLocalMode(localRoot.toAbsolutePath());
    }
    CountDownLatch stop = new CountDownLatch(1);
    FakeBotApi started;
    try {
      started = FakeBotApi.start(options);
    } catch (BindException e) {
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
          + " (is another simulate running there? choose another --port)", e);
    }
    try (FakeBotApi api = started) {
      api.channel(channel, "Sample channel", "sample_channel");
      if (!noSample) {
        SampleChannel.publish(api, channel);
      }
      System.out.printf("fake Telegram Bot API listening on %s%s%n", api.baseUrl(),
          localRoot == null ? "" : " (local mode, files under " + localRoot.toAbsolutePath() + ")");
      System.out.println();
      System.out.println("point channel-mirror at it:");
      System.out.println("  telegram:");
      System.out.println("    token: \"" + api.token() + "\"");
      System.out.println("    apiUrl: " + api.baseUrl());
      System.out.println("    localMode: " + (localRoot != null));
      System.out.println("    channels: [" + channel + "]");
      System.out.println();
      System.out.println("publish a post:");
      System.out.printf("  curl -X POST %s/control/channels/%d/posts -H 'Content-Type: application/json' \\%n"
          + "       -d '{\"caption\":\"hello\",\"media\":[{\"kind\":\"document\",\"size\":1048576,\"seed\":7,\"fileName\":\"a.bin\"}]}'%n",
          api.baseUrl(), channel);
      System.out.println("publish a post from before the bot joined (no update; `backfill` fetches it):");
      System.out.printf("  curl -X POST %s/control/channels/%d/history -H 'Content-Type: application/json' -d '{\"text\":\"old\"}'%n",
          api.baseUrl(), channel);
      System.out.println("inject flood control:");
      System.out.printf("  curl -X POST %s/control/faults -d '{\"type\":\"floodWait\",\"method\":\"getFile\",\"retryAfter\":5,\"times\":1}'%n",
          api.baseUrl());
      System.out.println("inject server errors:");
      System.out.printf("  curl -X POST %s/control/faults -d '{\"type\":\"serverError\",\"method\":\"getFile\",\"status\":502,\"times\":2}'%n",
          api.baseUrl());
      System.out.println();
      System.out.println("Ctrl-C stops it.");
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return ExitCodes.OK;
  }
}
