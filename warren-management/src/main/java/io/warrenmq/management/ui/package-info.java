/**
 * The web UI: plain HTML, CSS and ES modules from {@code src/main/resources/www} (and the chart
 * library from its WebJar under {@code /webjars/}), served from the jar by {@link
 * io.warrenmq.management.ui.StaticFiles} on every GET that no API route matches. The pages talk to
 * the broker only through the management API, as any other client. May depend on the management
 * {@code http} package.
 */
@NullMarked
package io.warrenmq.management.ui;

import org.jspecify.annotations.NullMarked;
