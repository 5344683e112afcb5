/**
 * Erlang terms as RabbitMQ reports them in error reasons ({@code {invalid_regexp,"[",...}},
 * {@code <<"Validation failed...">>}, {@code [{<<"max-foo">>,1}]}): a small term model, printed
 * as Erlang's {@code ~tp} prints it or rendered as the management API's JSON renders it, and the
 * {@link io.warrenmq.broker.term.ValidationError} that carries one. Depends on warren-amqp's field types only.
 */
@NullMarked
package io.warrenmq.broker.term;

import org.jspecify.annotations.NullMarked;
