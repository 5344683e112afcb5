// Publishing (POST /api/exchanges/{v}/{x}/publish) and reading messages (POST
// /api/queues/{v}/{q}/get): peek, WarrenMQ's non-destructive ackmode, or a get in any of
// RabbitMQ's ackmodes, and the messages drawn as RabbitMQ's UI draws them.

import {h, fill, enc} from '../dom.js';
import {post} from '../api.js';
import {form, act, argsEditor, facts, notify} from '../ui.js';
import * as fmt from '../fmt.js';

const PROPERTIES = [
  ['content_type', 'string'], ['content_encoding', 'string'], ['priority', 'number'], ['correlation_id', 'string'],
  ['reply_to', 'string'], ['expiration', 'string'], ['message_id', 'string'], ['timestamp', 'number'], ['type', 'string'],
  ['user_id', 'string'], ['app_id', 'string'], ['cluster_id', 'string'],
];

/** A publish form; routingKey: the fixed routing key (a queue's page), or null for a field. */
export function publishForm(vhost, exchange, routingKey) {
  const fields = [];
  if (routingKey === null) fields.push({name: 'routing_key', label: 'Routing key'});
  fields.push(
    {name: 'delivery_mode', label: 'Delivery mode', type: 'select', value: '2', options: [['1', '1 - Non-persistent'], ['2', '2 - Persistent']]},
    {name: 'headers', label: 'Headers', element: argsEditor()},
    {name: 'properties', label: 'Properties', element: argsEditor(PROPERTIES, {types: ['string', 'number']})},
    {name: 'payload_encoding', label: 'Payload encoding', type: 'select', options: [['string', 'String (default)'], ['base64', 'Base64']]},
    {name: 'payload', label: 'Payload', type: 'textarea', rows: 5});
  const path = `/exchanges/${enc(vhost)}/${enc(exchange === '' ? 'amq.default' : exchange)}/publish`;
  return form(fields, 'Publish message', async (v) => {
    const properties = {...v.properties, delivery_mode: Number(v.delivery_mode)};
    if (Object.keys(v.headers).length) properties.headers = v.headers;
    const body = {properties, routing_key: routingKey ?? v.routing_key, payload: v.payload, payload_encoding: v.payload_encoding};
    await act(() => post(path, body), (r) => (r && r.routed === false ? 'Message published, but not routed.' : 'Message published.'));
  }, {id: 'publish'});
}

const ACKMODES = [
  ['ack_requeue_true', 'Nack message requeue true'],
  ['ack_requeue_false', 'Automatic ack'],
  ['reject_requeue_true', 'Reject requeue true'],
  ['reject_requeue_false', 'Reject requeue false'],
];

/** Peek (the default way to look) and get, with the messages shown below the forms. */
export function readForms(vhost, queue, onChange) {
  const path = `/queues/${enc(vhost)}/${enc(queue)}/get`;
  const out = h('div', {class: 'messages', id: 'messages'});
  const common = [
    {name: 'encoding', label: 'Encoding', type: 'select', options: [['auto', 'Auto string / base64'], ['base64', 'base64']]},
    {name: 'truncate', label: 'Truncate payload to', type: 'number', value: 50000, min: 0, help: 'bytes'},
  ];
  async function read(body) {
    try {
      const msgs = await post(path, body);
      fill(out, render(msgs, body.ackmode));
      onChange();
    } catch (e) {
      notify(e.reason || e.message, 'error');
    }
  }
  const truncate = (v) => (v.truncate === '' ? undefined : Number(v.truncate));
  const peek = form([{name: 'count', label: 'Messages', type: 'number', value: 10, min: 1}, ...common], 'Peek messages',
    (v) => read({count: Number(v.count), ackmode: 'peek', encoding: v.encoding, truncate: truncate(v)}), {id: 'peek'});
  const get = form([{name: 'ackmode', label: 'Ack mode', type: 'select', options: ACKMODES},
    {name: 'count', label: 'Messages', type: 'number', value: 1, min: 1}, ...common], 'Get messages',
  (v) => read({count: Number(v.count), ackmode: v.ackmode, encoding: v.encoding, truncate: truncate(v)}), {id: 'get'});
  return h('div', {class: 'read'},
    h('div', {class: 'read-forms'},
      h('section', {class: 'peek'}, h('h3', null, 'Peek'),
        h('p', {class: 'notice info'}, 'Peek shows the first messages of the queue without taking them: it changes nothing. ',
          'The messages stay where they are, in the same order, and are not marked redelivered.'),
        peek),
      h('section', {class: 'get'}, h('h3', null, 'Get'),
        h('p', {class: 'notice warn'}, 'Getting messages changes the queue: each message is taken from it, then acknowledged ',
          '(gone) or requeued, which marks it redelivered.'),
        get)),
    out);
}

function render(msgs, ackmode) {
  if (!msgs || msgs.length === 0) return h('p', {class: 'empty'}, 'Queue is empty.');
  return msgs.map((m, i) => h('div', {class: 'message'},
    h('h4', null, `Message ${i + 1}`, ackmode === 'peek' ? h('small', {class: 'sub'}, ' (peeked: still in the queue)') : null),
    // a get's message_count is what remains after it; a peek took nothing, so it is not shown
    ackmode === 'peek' ? null : h('p', null, `The server reported ${fmt.count(m.message_count)} messages remaining.`),
    facts([['Exchange', m.exchange === '' ? '(AMQP default)' : m.exchange], ['Routing Key', m.routing_key],
      ['Redelivered', h('span', {class: 'redelivered'}, m.redelivered ? '●' : '○')],
      ['Properties', properties(m.properties)],
      ['Payload', h('div', null, h('small', null, `${fmt.count(m.payload_bytes)} bytes · Encoding: ${m.payload_encoding}`),
        h('pre', {class: 'payload'}, m.payload))]])));
}

function properties(p) {
  if (!p || (Array.isArray(p) && p.length === 0)) return '';
  return facts(Object.entries(p).map(([k, v]) => [k, k === 'headers' && typeof v === 'object' ? facts(Object.entries(v).map(([a, b]) => [a, typeof b === 'object' ? JSON.stringify(b) : String(b)])) : String(v)]));
}
