package org.channelmirror.config;

/** JDBC catalog: an H2 file by default, PostgreSQL when several instances share it. */
public record CatalogConfig(String url, String user, Secret password, int poolSize) {}
