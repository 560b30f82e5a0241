package org.channelmirror.catalog;

/** Where a distinct file stands. Only STORED is final; the others are retried. */
public enum BlobState {
  /** Not yet stored; due at the next backup run. */
  PENDING,
  /** In storage, byte-identical, with its SHA-256 recorded. */
  STORED,
  /** Refused by the Bot API server for its size; retried when the download mode changes. */
  TOO_BIG,
  /** Failed after retries; retried at {@code next_attempt_at}. */
  FAILED
}
