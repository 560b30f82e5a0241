package org.channelmirror.fakebot;

/** A Bot API error answer; the router turns it into the error envelope with HTTP status = error code. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int code;

  ApiException(int code, String description) {
    super(description, null, false, false);
    this.code = code;
  }

  static ApiException badRequest(String what) {
    return new ApiException(400, "Bad Request: " + what);
  }
}
