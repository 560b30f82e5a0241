package org.channelmirror.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.channelmirror.app.Application;
import org.channelmirror.app.Humans;
import org.channelmirror.backup.BackupReport;
import org.channelmirror.config.Config;
import org.channelmirror.config.ConfigLoader;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.SampleChannel;
import org.channelmirror.storage.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "The whole pipeline against a built-in fake Bot API, into embedded storage.",
    description = "Try channel-mirror with no token and no internet: starts the built-in fake Bot API with a "
        + "sample channel, runs the real pipeline into embedded storage, and prints what was stored and "
        + "where. Leaves the result under --data-dir to look at.",
    footer = ExitCodes.FOOTER)
final class DemoCommand implements Callable<Integer> {
  static final long SAMPLE_CHANNEL = -1001234567890L;
  private static final String MARKER = ".channel-mirror-demo";

  @Option(names = "--data-dir", defaultValue = "./data/demo", paramLabel = "DIR",
      description = "Where the demo keeps its catalog and embedded storage (wiped at start; default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    prepare(dataDir);
    try (FakeBotApi api = FakeBotApi.start(FakeBotApi.Options.defaults())) {
      System.out.printf("fake Bot API at %s with a sample channel %d%n", api.baseUrl(), SAMPLE_CHANNEL);
      SampleChannel.publish(api, SAMPLE_CHANNEL);
      api.group(-1009876543210L, "A group that is not mirrored").post().text("this stays out of the backup").publish();
      Config config = new ConfigLoader(name -> null).parse(yaml(api), "demo configuration");
      try (Application app = Application.start(config)) {
        ProgressBar bar = ProgressBar.forTerminal();
        BackupReport report;
        try {
          report = app.sync(bar);
        } finally {
          bar.finish();
        }
        System.out.println();
        System.out.println("objects in bucket '" + config.storage().bucket() + "':");
        for (ObjectInfo o : app.store().list(app.store().prefix())) {
          System.out.printf("  %10s  %s%n", Humans.bytes(o.size()), o.key());
        }
        System.out.println();
        System.out.println("the bucket's files are under " + dataDir.resolve("s3").toAbsolutePath().normalize());
        System.out.println("channel-mirror status:");
        System.out.print(Application.status(app.catalog(), config).toText().indent(2));
        System.out.println();
        return Summaries.print(report, System.out, System.err);
      }
    }
  }

  private String yaml(FakeBotApi api) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("telegram", Map.of("token", api.token(), "apiUrl", api.baseUrl(), "channels", List.of(SAMPLE_CHANNEL)));
    root.put("schedule", Map.of("backup", "0 * * * * ?"));
    root.put("dataDir", dataDir.toString());
    return new ObjectMapper(new YAMLFactory()).writeValueAsString(root);
  }

  /** Starts from an empty directory, but never wipes one the demo did not create. */
  private static void prepare(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      boolean ours = Files.exists(dir.resolve(MARKER));
      try (Stream<Path> s = Files.list(dir)) {
        if (!ours && s.findAny().isPresent()) {
          throw new org.channelmirror.config.ConfigException("--data-dir " + dir
              + " is not empty and was not made by the demo; choose another directory");
        }
      }
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "made by channel-mirror demo; safe to delete\n");
  }
}
