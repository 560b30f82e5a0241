package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParsingTest {

  @Test
  void rangeHeaders() {
    assertThat(FileServer.parseRange(null, 100)).isEqualTo(new FileServer.Span(0, 100, false));
    assertThat(FileServer.parseRange("bytes=0-9", 100)).isEqualTo(new FileServer.Span(0, 10, true));
    assertThat(FileServer.parseRange("bytes=90-", 100)).isEqualTo(new FileServer.Span(90, 10, true));
    assertThat(FileServer.parseRange("bytes=90-1000", 100)).isEqualTo(new FileServer.Span(90, 10, true));
    assertThat(FileServer.parseRange("bytes=-30", 100)).isEqualTo(new FileServer.Span(70, 30, true));
    assertThat(FileServer.parseRange("bytes=-300", 100)).isEqualTo(new FileServer.Span(0, 100, true));
    assertThat(FileServer.parseRange("bytes=100-", 100)).isNull();
    assertThat(FileServer.parseRange("bytes=-0", 100)).isNull();
    assertThat(FileServer.parseRange("bytes=5-2", 100)).isEqualTo(new FileServer.Span(0, 100, false));
    assertThat(FileServer.parseRange("bytes=0-1,5-6", 100)).isEqualTo(new FileServer.Span(0, 100, false));
    assertThat(FileServer.parseRange("items=0-1", 100)).isEqualTo(new FileServer.Span(0, 100, false));
  }

  @Test
  void tokenSyntax() {
    assertThat(Router.wellFormed("123456789:TEST-fake-token_abcdefghijklmnopqrstu")).isTrue();
    assertThat(Router.wellFormed("0123:abc")).isFalse();
    assertThat(Router.wellFormed("abc")).isFalse();
    assertThat(Router.wellFormed("12x:abc")).isFalse();
    assertThat(Router.wellFormed("1:" + "a".repeat(80))).isFalse();
  }

  @Test
  void multipartPartsStreamWithBoundaryLookalikesInside() throws Exception {
    String boundary = "b0undary";
    byte[] file = new byte[300_000];
    new java.util.Random(1).nextBytes(file);
    // put a near-miss of the delimiter into the data
    byte[] nearMiss = "\r\n--b0undar".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(nearMiss, 0, file, 131_070, nearMiss.length);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("preamble\r\n--b0undary\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n"
        + "Content-Length: 14\r\n\r\n-1001234567890\r\n--b0undary\r\n"
        + "Content-Disposition: form-data; name=\"doc.bin\"; filename=\"doc \\\"1\\\".bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(file);
    body.write("\r\n--b0undary--\r\n".getBytes(StandardCharsets.US_ASCII));
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(body.toByteArray()), boundary);
    MultipartReader.PartHeaders h1 = r.next();
    assertThat(h1.name()).isEqualTo("chat_id");
    assertThat(h1.fileName()).isNull();
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    r.body(v);
    assertThat(v.toString(StandardCharsets.UTF_8)).isEqualTo("-1001234567890");
    MultipartReader.PartHeaders h2 = r.next();
    assertThat(h2.name()).isEqualTo("doc.bin");
    assertThat(h2.fileName()).isEqualTo("doc \"1\".bin");
    assertThat(h2.contentType()).isEqualTo("application/octet-stream");
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    r.body(f);
    assertThat(f.toByteArray()).isEqualTo(file);
    assertThat(r.next()).isNull();
  }

  @Test
  void boundaryFromContentType() {
    assertThat(MultipartReader.boundaryOf("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(MultipartReader.boundaryOf("multipart/form-data; charset=utf-8; boundary=\"x y\"")).isEqualTo("x y");
  }
}
