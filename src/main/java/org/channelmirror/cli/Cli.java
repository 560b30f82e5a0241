package org.channelmirror.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.channelmirror.catalog.CatalogException;
import org.channelmirror.config.Config;
import org.channelmirror.config.ConfigException;
import org.channelmirror.config.ConfigLoader;
import org.channelmirror.config.Secrets;
import org.channelmirror.storage.StorageException;
import org.channelmirror.telegram.BotApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code channel-mirror} command line. */
@Command(name = "channel-mirror", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Backs up Telegram channels (posts, edits and media) into S3-compatible storage.",
    // in the README's order
    subcommands = {RunCommand.class, SyncCommand.class, StatusCommand.class, VerifyCommand.class,
        CleanupCommand.class, RestoreCommand.class, BackfillCommand.class, ExportCommand.class, ReindexCommand.class,
        DoctorCommand.class, DemoCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class},
    footer = ExitCodes.TOP_FOOTER)
public final class Cli {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
      description = "Configuration file (default: $CHANNEL_MIRROR_CONFIG, else " + ConfigLoader.DEFAULT_PATH + ").")
  Path config;

  Config loadConfig() {
    ConfigLoader loader = ConfigLoader.fromSystem();
    return loader.load(loader.resolvePath(config));
  }

  /**
   * Whether {@code args} start a command that runs until stopped ({@code run}, {@code simulate}),
   * read before picocli parses them: the subcommand is the first word that is neither an option
   * nor the value of {@code --config}.
   */
  public static boolean longRunning(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-c") || a.equals("--config")) {
        i++; // its value
      } else if (!a.startsWith("-")) {
        return a.equals("run") || a.equals("simulate");
      }
    }
    return false;
  }

  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Cli());
    // every command's help lists -V, --version: each prints the same as the top level's
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new Version());
    }
    cl.setExecutionExceptionHandler(Cli::handle);
    CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler((e, params) -> unknownCommand(e, params) ? ExitCodes.CONFIG
        : usage.handleParseException(e, params));
    return cl.execute(args);
  }

  /**
   * A word where a command belongs that is none ("channel-mirror stauts"): one line naming it and
   * the commands there are, and the closest one, instead of picocli's "Unmatched argument at index 0".
   */
  private static boolean unknownCommand(CommandLine.ParameterException e, String[] params) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getCommandLine().getParent() != null
        || u.getUnmatched().isEmpty() || u.getUnmatched().get(0).startsWith("-")) {
      return false;
    }
    CommandLine cl = u.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("unknown command '" + u.getUnmatched().get(0) + "'; the commands are: "
        + String.join(", ", cl.getSubcommands().keySet()) + " (channel-mirror --help says what each does)");
    List<String> close = closest(u.getUnmatched().get(0), cl.getSubcommands().keySet());
    if (!close.isEmpty()) {
      err.println("did you mean: " + String.join(" or ", close) + "?");
    }
    err.flush();
    return true;
  }

  /**
   * The commands within two edits of {@code word} (one for words of up to four letters), nearest first.
   * picocli's own suggestions offered "simulate or status" for any word and nothing for "snyc".
   */
  static List<String> closest(String word, Collection<String> commands) {
    String w = word.toLowerCase(Locale.ROOT);
    int most = w.length() <= 4 ? 1 : 2;
    Map<String, Integer> near = new LinkedHashMap<>();
    for (String c : commands) {
      int d = editDistance(w, c);
      if (d <= most) {
        near.put(c, d);
      }
    }
    return near.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).toList();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** Turns failures into one clear line and the documented exit code; stack traces only at debug. */
  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof ConfigException) {
      err.println("config error: " + Secrets.redact(e.getMessage()));
      err.flush();
      return ExitCodes.CONFIG;
    }
    String what = e instanceof StorageException ? "storage error: "
        : e instanceof CatalogException ? "catalog error: "
        : e instanceof BotApiException ? "Telegram error: " : "error: ";
    err.println(what + Secrets.redact(String.valueOf(e.getMessage())) + outOfMemoryHint(e));
    if (System.getenv("CHANNEL_MIRROR_DEBUG") != null) {
      err.println(Secrets.redact(stackTrace(e)));
    }
    err.flush();
    return ExitCodes.RUNTIME;
  }

  /** Says what to change when the cause is a heap too small for the configured transfers. */
  static String outOfMemoryHint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return String.format(" (the Java heap of %d MB is too small: give Java more, e.g. java -Xmx256m -jar ...,"
            + " or lower storage.partSize, transfer.window or transfer.concurrency)",
            Runtime.getRuntime().maxMemory() >> 20);
      }
    }
    return "";
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter sw = new java.io.StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws Exception {
      Properties p = new Properties();
      try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"channel-mirror " + p.getProperty("version", "dev"),
          "Java " + System.getProperty("java.version")};
    }
  }
}
