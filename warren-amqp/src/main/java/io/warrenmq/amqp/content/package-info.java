/**
 * Content header properties of class {@code basic} (spec 4.2.6.1): the {@link
 * io.warrenmq.amqp.content.BasicProperties} record of the 14 properties and {@link
 * io.warrenmq.amqp.content.BasicPropertiesCodec}, which reads and writes the property flags and
 * property list, and gives the publish path a cheap {@link
 * io.warrenmq.amqp.content.PropertiesSummary} without building the headers table. Depends on {@code
 * io.warrenmq.amqp} and {@code io.warrenmq.amqp.types}.
 */
@NullMarked
package io.warrenmq.amqp.content;

import org.jspecify.annotations.NullMarked;
