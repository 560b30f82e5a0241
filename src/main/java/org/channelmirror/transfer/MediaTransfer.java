package org.channelmirror.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.channelmirror.catalog.Blob;
import org.channelmirror.catalog.MediaKind;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.TelegramConfig;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.PutResult;
import org.channelmirror.storage.StorageException;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.channelmirror.telegram.Download;
import org.channelmirror.telegram.FileLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one media file from the Bot API into storage: getFile, then one streamed download
 * piped straight into a streamed (multipart) upload. Nothing is buffered whole or spilled to
 * disk. Retries passing faults a bounded number of times; the caller records the outcome.
 */
public final class MediaTransfer {
  private static final Logger log = LoggerFactory.getLogger(MediaTransfer.class);

  private final BotApi api;
  private final ObjectStore store;
  private final TelegramConfig telegram;
  private final int maxAttempts;

  public MediaTransfer(BotApi api, ObjectStore store, TelegramConfig telegram, int maxAttempts) {
    this.api = api;
    this.store = store;
    this.telegram = telegram;
    this.maxAttempts = maxAttempts;
  }

  public TransferOutcome transfer(Blob blob, TransferListener listener) throws InterruptedException {
    if (!telegram.localMode() && blob.expectedSize() != null && blob.expectedSize() > TelegramConfig.CLOUD_DOWNLOAD_LIMIT) {
      return new TransferOutcome.TooBig(tooBigReason(blob.expectedSize()));
    }
    String lastError = "no attempt made";
    boolean retryable = true;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        return attempt(blob, listener);
      } catch (BotApiException e) {
        if (e.kind() == BotApiException.Kind.TOO_BIG) {
          return new TransferOutcome.TooBig(tooBigReason(blob.expectedSize()));
        }
        lastError = e.getMessage();
        retryable = e.kind() != BotApiException.Kind.PERMANENT;
        if (!retryable) {
          break;
        }
      } catch (StorageException e) {
        lastError = "storage: " + e.getMessage();
        retryable = e.retryable();
        if (!retryable) {
          break;
        }
      } catch (IOException e) {
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      lastError = Secrets.redact(lastError);
      log.warn("media {} of message {}/{}: attempt {} of {} failed: {}", blob.fileUniqueId(), blob.chatId(),
          blob.messageId(), attempt, maxAttempts, lastError);
      if (attempt < maxAttempts) {
        Thread.sleep(Math.min(10_000L, 500L << attempt));
      }
    }
    return new TransferOutcome.Failed(Secrets.redact(lastError), retryable);
  }

  private TransferOutcome attempt(Blob blob, TransferListener listener) throws IOException, InterruptedException {
    FileLocation loc = api.getFile(blob.fileId());
    String key = ObjectKeys.media(store.prefix(), blob.fileUniqueId(),
        ObjectKeys.extensionFor(blob.mimeType(), blob.fileName(), loc.filePath(), blob.kind().field()));
    long expected = loc.fileSize() != null ? loc.fileSize() : blob.expectedSize() == null ? -1 : blob.expectedSize();
    Optional<ObjectInfo> existing = store.head(key);
    if (existing.isPresent() && existing.get().userMetadata().containsKey("sha256")
        && (expected < 0 || existing.get().size() == expected)) {
      // stored by an earlier run that died before recording it (or by another instance)
      ObjectInfo o = existing.get();
      return new TransferOutcome.Stored(key, o.size(), o.userMetadata().get("sha256"), true);
    }
    Map<String, String> meta = Map.of(
        "chat-id", Long.toString(blob.chatId()),
        "message-id", Long.toString(blob.messageId()),
        "file-unique-id", blob.fileUniqueId(),
        "kind", blob.kind().field());
    try (Download d = api.open(loc); InputStream in = new SizeCheckingInputStream(d.stream(), expected)) {
      PutResult put = store.putStream(key, in, contentType(blob), meta, new org.channelmirror.storage.ProgressListener() {
        @Override
        public void bytesUploaded(long delta) {
          listener.bytes(delta);
        }
      });
      return new TransferOutcome.Stored(key, put.size(), put.sha256Hex(), false);
    }
  }

  static String contentType(Blob blob) {
    if (blob.mimeType() != null && blob.mimeType().matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+")) {
      return blob.mimeType();
    }
    MediaKind k = blob.kind();
    return switch (k) {
      case PHOTO -> "image/jpeg";
      case VOICE -> "audio/ogg";
      case VIDEO, VIDEO_NOTE -> "video/mp4";
      case STICKER -> "image/webp";
      case AUDIO -> "audio/mpeg";
      default -> "application/octet-stream";
    };
  }

  private static String tooBigReason(Long size) {
    String mb = size == null ? "over 20 MB" : String.format("%.1f MB", size / 1_000_000.0);
    return "file is " + mb + "; the cloud Bot API only hands out files up to 20 MB. Run a self-hosted"
        + " telegram-bot-api server with --local, then set telegram.apiUrl to it and telegram.localMode: true;"
        + " the file is retried automatically after that change";
  }
}
