package org.channelmirror.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A PostgreSQL address that accepts the connection and then says nothing (a hung server, a proxy
 * whose backend is gone, a network that died after the handshake). The driver's defaults wait for
 * its answer forever: `status` and `run` hung at start, and a running service whose pool had to
 * reconnect never got its catalog back. With the catalog's own timeouts opening it fails.
 */
class SilentDatabaseTest {
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // only against a hang
  void aServerThatAcceptsButNeverAnswersFailsTheOpenInsteadOfHangingIt() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // kept open, never read nor answered
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      }, "silent-db");
      acceptor.setDaemon(true);
      acceptor.start();

      String url = "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/catalog";
      assertThatThrownBy(() -> Catalog.open(url, "someone", "Pw-not-logged-4711", 2))
          .isInstanceOf(CatalogException.class)
          .hasMessageContaining("cannot open the catalog at " + url)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Pw-not-logged-4711"));
      assertThat(held).as("the driver did reach the silent server").isNotEmpty();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void timeoutsGivenInTheUrlAreTheOwners() {
    assertThat(Catalog.withPostgresTimeouts("jdbc:postgresql://db/cm?socketTimeout=600&sslmode=require"))
        .doesNotContainKey("socketTimeout").containsKeys("loginTimeout", "connectTimeout", "tcpKeepAlive");
    assertThat(Catalog.withPostgresTimeouts("jdbc:h2:file:/tmp/x")).isEmpty();
  }
}
