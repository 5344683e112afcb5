// Queues: the list (/api/queues[/{vhost}]) with "add a new queue" (PUT /api/queues/{v}/{q}).

import {h, fill, enc} from '../dom.js';
import {put} from '../api.js';
import {state} from '../state.js';
import {listing} from '../listing.js';
import {panel, form, act, features, argsEditor, vhostOptions, reset} from '../ui.js';
import * as fmt from '../fmt.js';
import {stateBadge} from './connections.js';

export const queueHref = (vhost, name) => `#/queues/${enc(vhost)}/${enc(name)}`;

export const QUEUE_ARGS = [
  ['x-message-ttl', 'number', 'ms a message may stay'], ['x-expires', 'number', 'ms unused before the queue is deleted'],
  ['x-max-length', 'number'], ['x-max-length-bytes', 'number'], ['x-overflow', 'string', 'drop-head, reject-publish or reject-publish-dlx'],
  ['x-dead-letter-exchange', 'string'], ['x-dead-letter-routing-key', 'string'], ['x-single-active-consumer', 'boolean'],
  ['x-max-priority', 'number'], ['x-queue-mode', 'string'], ['x-delivery-limit', 'number'],
];

export async function list(main) {
  const columns = [
    !state.vhost && {label: 'Virtual host', sort: 'vhost', value: (q) => q.vhost},
    {label: 'Name', sort: 'name', value: (q) => h('a', {href: queueHref(q.vhost, q.name)}, q.name)},
    {label: 'Type', sort: 'type', value: (q) => q.type || ''},
    {label: 'Features', value: features},
    {label: 'State', sort: 'state', value: (q) => stateBadge(q.state)},
    {label: 'Ready', sort: 'messages_ready', value: (q) => fmt.count(q.messages_ready), cls: 'r'},
    {label: 'Unacked', sort: 'messages_unacknowledged', value: (q) => fmt.count(q.messages_unacknowledged), cls: 'r'},
    {label: 'Total', sort: 'messages', value: (q) => fmt.count(q.messages), cls: 'r'},
    {label: 'Consumers', sort: 'consumers', value: (q) => fmt.count(q.consumers), cls: 'r'},
    {label: 'Incoming', sort: 'message_stats.publish_details.rate', value: (q) => fmt.statRate(q.message_stats, 'publish'), cls: 'r'},
    {label: 'Deliver / get', sort: 'message_stats.deliver_get_details.rate', value: (q) => fmt.statRate(q.message_stats, 'deliver_get'), cls: 'r'},
    {label: 'Ack', sort: 'message_stats.ack_details.rate', value: (q) => fmt.statRate(q.message_stats, 'ack'), cls: 'r'},
  ].filter(Boolean);
  const l = listing({
    id: 'queues', columns, empty: 'No queues',
    path: (v) => (v ? `/queues/${enc(v)}` : '/queues'),
    fields: ['name', 'vhost', 'type', 'durable', 'auto_delete', 'exclusive', 'arguments', 'policy', 'operator_policy', 'state',
      'messages_ready', 'messages_unacknowledged', 'messages', 'consumers', 'message_stats'],
  });
  const add = form([
    {name: 'vhost', label: 'Virtual host', ...vhostOptions(state.vhosts, state.vhost)},
    {name: 'type', label: 'Type', type: 'select', options: [['classic', 'Classic'], ['quorum', 'Quorum'], ['stream', 'Stream']]},
    {name: 'name', label: 'Name', required: true},
    {name: 'durable', label: 'Durability', type: 'select', options: [['true', 'Durable'], ['false', 'Transient']]},
    {name: 'auto_delete', label: 'Auto delete', type: 'select', options: [['false', 'No'], ['true', 'Yes']]},
    {name: 'arguments', label: 'Arguments', element: argsEditor(QUEUE_ARGS)},
  ], 'Add queue', async (v, el) => {
    const args = {...v.arguments};
    if (v.type !== 'classic') args['x-queue-type'] = v.type;
    const ok = await act(() => put(`/queues/${enc(v.vhost)}/${enc(v.name)}`,
      {durable: v.durable === 'true', auto_delete: v.auto_delete === 'true', arguments: args}), `Queue ${v.name} added.`);
    if (ok) {
      reset(el);
      l.refresh();
    }
  }, {id: 'add-queue'});
  fill(main, h('h1', null, 'Queues'), panel('All queues', 'queues', l.el), panel('Add a new queue', 'add', add));
  await l.refresh();
  return {refresh: l.refresh};
}
