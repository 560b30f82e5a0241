package org.channelmirror.config;

/** Quartz cron expressions. */
public record ScheduleConfig(String backup) {}
