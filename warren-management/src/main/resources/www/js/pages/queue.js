// One queue: its figures and charts, consumers, bindings (add / unbind), publish, peek and get,
// move, purge and delete.

import {h, fill, enc} from '../dom.js';
import {get, del, post} from '../api.js';
import {panel, facts, form, act, confirm, heading, features, table} from '../ui.js';
import {chart, sampleParams, QUEUED, RATES} from '../chart.js';
import * as fmt from '../fmt.js';
import {bindingTable, bindQueueForm} from './bindings.js';
import {publishForm, readForms} from './messages.js';
import {consumerTable} from './channels.js';
import {stateBadge, connLink} from './connections.js';

export async function page(main, {vhost, name}) {
  const path = `/queues/${enc(vhost)}/${enc(name)}`;
  const q0 = await get(path, sampleParams());
  const queued = chart('Queued messages', QUEUED, {format: fmt.count});
  const rates = chart('Message rates', RATES, {rates: true, format: fmt.rate});
  const details = h('div', {class: 'facts-row'});
  const counts = h('div', {id: 'queue-counts'});
  const consumers = h('div');
  const bindings = h('div', {id: 'bindings'});
  let exchanges = [];
  try {
    exchanges = (await get(`/exchanges/${enc(vhost)}`, {columns: 'name'})).map((x) => x.name);
  } catch {
    exchanges = [];
  }

  const {purge, remove, move} = actionForms(name, path, () => refresh());

  fill(main, heading('Queue', name, vhost),
    panel('Overview', 'overview', h('div', {class: 'charts'}, queued.el, rates.el), details, counts),
    panel('Consumers', 'consumers', consumers),
    panel('Bindings', 'bindings-panel', bindings, h('h3', null, 'Add binding to this queue'), bindQueueForm(vhost, name, exchanges, () => refresh())),
    panel('Publish message', 'publish-panel', h('p', {class: 'help'}, 'Published to the default exchange with routing key ', h('code', null, name), ': it goes to this queue.'),
      publishForm(vhost, '', name)),
    panel('Get messages', 'get-panel', readForms(vhost, name, () => refresh())),
    panel('Move messages', 'move-panel', h('p', {class: 'help'}, 'Moves the ready messages, oldest first, to another queue of this virtual host, each one published there before it leaves this queue (the properties and the body are kept, the message is not marked redelivered).'), move),
    panel('Delete', 'delete-panel', remove),
    panel('Purge', 'purge-panel', purge));

  async function refresh(given) {
    const [q, bs] = await Promise.all([given || get(path, sampleParams()), get(path + '/bindings')]);
    queued.update(q);
    rates.update(q.message_stats);
    fill(details,
      facts([['Type', q.type], ['Features', features(q)], ['Policy', q.policy || ''], ['Operator policy', q.operator_policy || ''],
        ['Effective policy definition', fmt.short(q.effective_policy_definition)],
        ['Exclusive owner', q.owner_pid_details?.name ? connLink(q.owner_pid_details.name) : undefined], ['Node', q.node]]),
      facts([['State', stateBadge(q.state)], ['Consumers', fmt.count(q.consumers)],
        ['Consumer capacity', typeof q.consumer_capacity === 'number' ? `${Math.round(q.consumer_capacity * 100)}%` : undefined],
        ['Arguments', fmt.short(q.arguments)]]));
    fill(counts, table([{label: '', value: (r) => h('b', null, r[0])}, {label: 'Total', value: (r) => r[1], cls: 'r'},
      {label: 'Ready', value: (r) => r[2], cls: 'r'}, {label: 'Unacked', value: (r) => r[3], cls: 'r'}, {label: 'Persistent', value: (r) => r[4], cls: 'r'}], [
      ['Messages', fmt.count(q.messages), fmt.count(q.messages_ready), fmt.count(q.messages_unacknowledged), fmt.count(q.messages_persistent)],
      ['Message body bytes', fmt.bytes(q.message_bytes), fmt.bytes(q.message_bytes_ready), fmt.bytes(q.message_bytes_unacknowledged), fmt.bytes(q.message_bytes_persistent)],
    ]));
    fill(consumers, consumerTable(q.consumer_details || [], 'channel'));
    fill(bindings, bindingTable(bs, 'source', () => refresh()));
  }
  await refresh(q0);
  return {refresh: () => refresh()};
}

/** The purge, delete and move forms of a queue's page. */
function actionForms(name, path, refresh) {
  const purge = form([], 'Purge messages', async () => {
    if (!(await confirm(`Purge all ready messages of queue ${name}?`, 'Purge'))) return;
    await act(() => del(path + '/contents'), 'Queue purged.');
    refresh();
  }, {id: 'purge'});
  const remove = form([
    {name: 'if_unused', label: 'Only if it has no consumers', type: 'checkbox'},
    {name: 'if_empty', label: 'Only if it is empty', type: 'checkbox'},
  ], 'Delete queue', async (v) => {
    if (!(await confirm(`Delete queue ${name}?`, 'Delete'))) return;
    const params = {};
    if (v.if_unused) params['if-unused'] = true;
    if (v.if_empty) params['if-empty'] = true;
    if (await act(() => del(path, params), `Queue ${name} deleted.`)) location.hash = '#/queues';
  }, {id: 'delete'});
  const move = form([{name: 'destination', label: 'Destination queue', required: true},
    {name: 'count', label: 'At most', type: 'number', min: 1, help: 'messages (empty: all ready messages)'}], 'Move messages', async (v) => {
    const body = {action: 'move', destination: v.destination};
    if (v.count) body.count = Number(v.count);
    await act(() => post(path + '/actions', body), (r) => `Moved ${fmt.count(r?.moved ?? 0)} messages to ${v.destination}.`);
    refresh();
  }, {id: 'move'});

  return {purge, remove, move};
}
