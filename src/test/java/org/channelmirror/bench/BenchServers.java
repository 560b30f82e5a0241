package org.channelmirror.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.storage.EmbeddedS3;

/**
 * The servers of {@code src/bench/benchmark.sh}, in one JVM that is not the one measured:
 * S3Proxy (the product's {@link EmbeddedS3}) on a fixed loopback port, and the fake Bot API with
 * one channel post per file listed in {@code files.txt} ("path size" lines).
 *
 * <p>Cloud mode: getFile is called once per file, in order, so the fake hands out the paths
 * {@code documents/file_N.bin}; each becomes a symlink under {@code <work>/www/} to the listed
 * file, so nginx (which also proxies the Bot API methods to the fake) serves the very bytes the
 * anchors download. Local mode: getFile materialises each file under {@code <work>/botapi/}.
 *
 * <p>Usage: {@code BenchServers <work> <cloud|local> <s3Port> <botPort> <files.txt> [s3Root]}; writes
 * {@code <work>/servers.env}, then runs until killed. {@code s3Root} (default {@code <work>/s3})
 * may be on tmpfs, so that disk write-back does not throttle the S3 server between runs.
 */
public final class BenchServers {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]).toAbsolutePath();
    boolean local = args[1].equals("local");
    int s3Port = Integer.parseInt(args[2]);
    int botPort = Integer.parseInt(args[3]);
    List<String[]> files = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[4]))) {
      if (!line.isBlank()) {
        files.add(line.trim().split("\\s+"));
      }
    }
    EmbeddedS3 s3 = EmbeddedS3.start(args.length > 5 ? Path.of(args[5]) : work.resolve("s3"), s3Port);
    FakeBotApi.Options options = FakeBotApi.Options.defaults().withPort(botPort);
    if (local) {
      options = options.withLocalMode(work.resolve("botapi"));
    }
    FakeBotApi api = FakeBotApi.start(options);
    api.cloudDownloadLimit(Long.MAX_VALUE);
    Channel ch = api.channel(-1001234567890L, "bench", "bench");
    List<FileRef> refs = new ArrayList<>();
    long seed = 1;
    for (String[] f : files) {
      PublishedPost p = ch.post().document(FileContent.random(seed++, Long.parseLong(f[1])), "f.bin",
          "application/octet-stream").publish();
      refs.add(p.files().get(0));
    }
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    Path www = work.resolve("www");
    for (int i = 0; i < refs.size(); i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/bot" + api.token()
          + "/getFile?file_id=" + refs.get(i).fileId())).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode file = json.readTree(r.body()).path("result");
      String path = file.path("file_path").asText();
      if (path.isEmpty()) {
        throw new IllegalStateException("getFile failed: " + r.body());
      }
      if (!local) {
        Path link = www.resolve(path);
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(files.get(i)[0]).toAbsolutePath());
      }
    }
    Files.writeString(work.resolve("servers.env"), String.join("\n",
        "S3_ENDPOINT=" + s3.endpoint(),
        "AWS_ACCESS_KEY_ID=" + s3.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY=" + s3.secretAccessKey(),
        "BOT_URL=" + api.baseUrl(),
        "BOT_TOKEN=" + api.token(),
        "") );
    System.out.println("ready: " + refs.size() + " file(s), " + (local ? "local" : "cloud") + " mode");
    Thread.currentThread().join();
  }
}
