package org.channelmirror.config;

import java.nio.file.Path;

/**
 * The validated, frozen configuration of one channel-mirror instance.
 * Built only by {@link ConfigLoader}; every field has been checked and defaulted.
 */
public record Config(
    TelegramConfig telegram,
    StorageConfig storage,
    CatalogConfig catalog,
    ScheduleConfig schedule,
    TransferConfig transfer,
    WebConfig web,
    Path dataDir) {

  /** Copy with another data directory (the demo uses its own). */
  public Config withDataDir(Path dir) {
    return new Config(telegram, storage, catalog, schedule, transfer, web, dir);
  }

  /** Multi-line description with secrets masked, logged once at start. */
  public String describe() {
    return String.join("\n",
        "telegram.apiUrl=" + telegram.apiUrl(),
        "telegram.localMode=" + telegram.localMode(),
        "telegram.channels=" + telegram.channels(),
        "telegram.token=" + telegram.token(),
        "telegram.webhook.url=" + (telegram.webhook().enabled()
            ? Secrets.redact(telegram.webhook().url().toString()) + " (listen " + telegram.webhook().listen() + ")"
            : "(none: long polling)"),
        "storage.endpoint=" + (storage.embedded() ? "(embedded)" : storage.endpoint()),
        "storage.bucket=" + storage.bucket(),
        "storage.prefix=" + storage.prefix(),
        "storage.secretAccessKey=" + storage.secretAccessKey(),
        "catalog.url=" + catalog.url(),
        "schedule.backup=" + schedule.backup(),
        "schedule.verify=" + schedule.verify(),
        "schedule.cleanup=" + schedule.cleanup(),
        "transfer.concurrency=" + transfer.concurrency(),
        "transfer.window=" + transfer.window() + " x storage.partSize=" + storage.partSize(),
        "transfer.sha256Metadata=" + (transfer.sha256MetadataAlways() ? "always" : "singlePart"),
        "transfer.uploadLimit=" + rate(transfer.uploadLimit()),
        "transfer.downloadLimit=" + rate(transfer.downloadLimit()),
        "web.listen=" + web.listen(),
        "dataDir=" + dataDir);
  }

  private static String rate(long bytesPerSecond) {
    return bytesPerSecond == 0 ? "0 (no limit)" : bytesPerSecond + " bytes/s";
  }
}
