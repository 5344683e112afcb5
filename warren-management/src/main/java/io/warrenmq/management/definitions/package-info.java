/**
 * RabbitMQ's definitions JSON: export in the management API's shape (rabbit_mgmt_wm_definitions)
 * and in rabbitmqctl's (rabbit_definitions:all_definitions), and import through the broker's own
 * operations in RabbitMQ 3.13.7's order and with its error texts, for the
 * {@code /api/definitions} resources, warrenctl's {@code export_definitions} /
 * {@code import_definitions} and the {@code load_definitions} key. May depend on warren-broker and
 * the management {@code http} package (JSON).
 */
@NullMarked
package io.warrenmq.management.definitions;

import org.jspecify.annotations.NullMarked;
