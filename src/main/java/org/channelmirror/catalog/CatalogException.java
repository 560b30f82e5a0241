package org.channelmirror.catalog;

/** The catalog cannot be read or written (database down, disk full, schema problem). */
public final class CatalogException extends RuntimeException {
  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
