package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3IT {
  @TempDir
  Path dir;

  @Test
  void restartKeepsCredentialsAndData() throws IOException {
    Path root = dir.resolve("data/s3");
    String keyId;
    String secret;
    try (EmbeddedS3 s3 = TestS3.start(root);
         ObjectStore store = ObjectStore.connect(TestS3.settings(s3, "keep"))) {
      assertThat(s3.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
      assertThat(s3.root()).isEqualTo(root.toAbsolutePath());
      store.ensureBucket(true);
      store.putBytes("a/b", new byte[] {1, 2, 3}, "text/plain", Map.of("chat-id", "7"));
      keyId = s3.accessKeyId();
      secret = s3.secretAccessKey();
      assertThat(s3.toString()).doesNotContain(secret);
    }
    Path credentials = root.resolve(".credentials");
    assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (EmbeddedS3 s3 = TestS3.start(root);
         ObjectStore store = ObjectStore.connect(TestS3.settings(s3, "keep"))) {
      assertThat(s3.accessKeyId()).isEqualTo(keyId);
      assertThat(s3.secretAccessKey()).isEqualTo(secret);
      store.ensureBucket(false);
      assertThat(store.getBytes("a/b")).containsExactly(1, 2, 3);
      assertThat(store.head("a/b").orElseThrow().userMetadata()).containsEntry("chat-id", "7");
    }
  }

  @Test
  void listensOnLoopbackOnly() throws IOException {
    try (EmbeddedS3 s3 = TestS3.start(dir)) {
      int port = URI.create(s3.endpoint()).getPort();
      try (Socket ok = new Socket("127.0.0.1", port)) {
        assertThat(ok.isConnected()).isTrue();
      }
      Optional<InetAddress> external = externalAddress();
      if (external.isPresent()) {
        assertThrows(IOException.class, () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(external.get(), port), 2000);
          }
        });
      }
    }
  }

  @Test
  void busyPortFailsClearly() {
    try (EmbeddedS3 first = TestS3.start(dir.resolve("one"))) {
      int port = URI.create(first.endpoint()).getPort();
      StorageException e = assertThrows(StorageException.class, () -> EmbeddedS3.start(dir.resolve("two"), port));
      assertThat(e.getMessage()).contains("127.0.0.1:" + port);
    }
  }

  private static Optional<InetAddress> externalAddress() throws IOException {
    return NetworkInterface.networkInterfaces().filter(i -> {
      try {
        return i.isUp() && !i.isLoopback();
      } catch (IOException e) {
        return false;
      }
    }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
  }
}
