// Overview: queued messages and message rates across the broker, global counts, the nodes'
// figures and the listeners (/api/overview with samples, /api/nodes).

import {h, fill, enc} from '../dom.js';
import {get} from '../api.js';
import {state} from '../state.js';
import {panel, table} from '../ui.js';
import {chart, sampleParams, QUEUED, RATES} from '../chart.js';
import * as fmt from '../fmt.js';

export async function page(main) {
  const queued = chart('Queued messages', QUEUED, {format: fmt.count});
  const rates = chart('Message rates', RATES, {rates: true, format: fmt.rate});
  const counts = h('ul', {class: 'counts', id: 'global-counts'});
  const nodes = h('div');
  const listeners = h('div');
  const about = h('p', {class: 'about'});
  fill(main,
    h('h1', null, 'Overview'),
    panel('Totals', 'totals', h('div', {class: 'charts'}, queued.el, rates.el), h('h3', null, 'Global counts'), counts),
    state.monitor ? panel('Nodes', 'nodes', nodes) : null,
    panel('Ports and contexts', 'listeners', listeners),
    state.admin ? panel('Export and import definitions', 'definitions-link',
      h('p', null, 'Download the broker\'s definitions (users, vhosts, permissions, policies, queues, exchanges, bindings) or upload a file exported from WarrenMQ or RabbitMQ: ',
        h('a', {href: '#/definitions'}, 'Definitions'), '.')) : null,
    about);

  async function refresh() {
    const [o, ns] = await Promise.all([get('/overview', sampleParams()), state.monitor ? get('/nodes') : null]);
    queued.update(o.queue_totals);
    rates.update(o.message_stats);
    const t = o.object_totals || {};
    fill(counts, [['#/connections', 'Connections', t.connections], ['#/channels', 'Channels', t.channels],
      ['#/exchanges', 'Exchanges', t.exchanges], ['#/queues', 'Queues', t.queues], [null, 'Consumers', t.consumers]]
      .filter(([, , n]) => n !== undefined)
      .map(([href, label, n]) => h('li', null, h(href ? 'a' : 'span', {href, class: 'count-button'}, label + ': ', h('strong', null, fmt.count(n))))));
    if (ns) fill(nodes, nodeTable(ns));
    fill(listeners,
      table([{label: 'Protocol', value: (l) => l.protocol}, {label: 'Bound to', value: (l) => l.ip_address},
        {label: 'Port', value: (l) => String(l.port), cls: 'r'}], o.listeners || [], {empty: 'No listener'}),
      (o.contexts || []).length ? table([{label: 'Context', value: (c) => c.description}, {label: 'Bound to', value: (c) => c.ip || c.ip_address || ''},
        {label: 'Port', value: (c) => String(c.port), cls: 'r'}, {label: 'Path', value: (c) => c.path}], o.contexts) : null);
    const product = o.product_name && o.product_name !== 'RabbitMQ' ? `${o.product_name} ${o.product_version || ''}` : 'WarrenMQ';
    about.textContent = `${product} · follows RabbitMQ ${o.rabbitmq_version || '?'} · node ${o.node || ''}`;
  }

  await refresh();
  return {refresh};
}

export function bar(used, limit, format, alarm) {
  if (typeof used !== 'number') return '';
  const pct = typeof limit === 'number' && limit > 0 ? Math.min(100, (used / limit) * 100) : null;
  return h('div', {class: ['bar', alarm && 'alarm'], title: pct === null ? '' : `${pct.toFixed(0)}%`},
    h('div', {class: 'bar-fill', style: `width:${pct ?? 0}%`}),
    h('span', null, format(used), typeof limit === 'number' ? h('small', null, ' / ' + format(limit)) : null));
}

export function nodeTable(ns) {
  return table([
    {label: 'Name', value: (n) => h('a', {href: '#/nodes/' + enc(n.name)}, h('b', null, n.name))},
    {label: 'File descriptors', value: (n) => bar(n.fd_used, n.fd_total, fmt.count)},
    {label: 'Socket descriptors', value: (n) => bar(n.sockets_used, n.sockets_total, fmt.count)},
    {label: 'Processes', value: (n) => bar(n.proc_used, n.proc_total, fmt.count)},
    {label: 'Memory', value: (n) => bar(n.mem_used, typeof n.mem_limit === 'number' ? n.mem_limit : undefined, fmt.bytes, n.mem_alarm)},
    {label: 'Disk space', value: (n) => typeof n.disk_free === 'number'
      ? h('span', {class: n.disk_free_alarm ? 'alarm' : null}, fmt.bytes(n.disk_free), h('small', null, typeof n.disk_free_limit === 'number' ? ` (low watermark ${fmt.bytes(n.disk_free_limit)})` : ''))
      : ''},
    {label: 'Uptime', value: (n) => fmt.uptime(n.uptime)},
    {label: 'Cores', value: (n) => fmt.count(n.processors), cls: 'r'},
    {label: 'State', value: (n) => (n.running === false ? h('span', {class: 'alarm'}, 'not running') : 'running')},
  ], ns, {empty: 'No node'});
}
