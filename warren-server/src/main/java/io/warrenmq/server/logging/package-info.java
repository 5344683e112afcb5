/**
 * The broker's logging on Logback: the console and an optional rotated file, plaintext or JSON
 * lines, set up from {@link io.warrenmq.server.config.LogSettings} before the first line is logged.
 */
@NullMarked
package io.warrenmq.server.logging;

import org.jspecify.annotations.NullMarked;
