// Exchanges: the list with "add a new exchange" (PUT /api/exchanges/{v}/{x}) and one exchange's
// page with its rates, bindings (both ways), publish and delete.

import {h, fill, enc} from '../dom.js';
import {get, put, del} from '../api.js';
import {state} from '../state.js';
import {listing} from '../listing.js';
import {panel, facts, form, act, confirm, heading, features, argsEditor, vhostOptions, reset} from '../ui.js';
import {chart, sampleParams} from '../chart.js';
import * as fmt from '../fmt.js';
import {bindingTable, bindExchangeForm} from './bindings.js';
import {publishForm} from './messages.js';

const TYPES = ['direct', 'fanout', 'headers', 'topic'];

export const exchangeHref = (vhost, name) => `#/exchanges/${enc(vhost)}/${enc(name === '' ? 'amq.default' : name)}`;

export async function list(main) {
  const columns = [
    !state.vhost && {label: 'Virtual host', sort: 'vhost', value: (x) => x.vhost},
    {label: 'Name', sort: 'name', value: (x) => h('a', {href: exchangeHref(x.vhost, x.name)}, x.name === '' ? '(AMQP default)' : x.name)},
    {label: 'Type', sort: 'type', value: (x) => x.type},
    {label: 'Features', value: features},
    {label: 'Message rate in', sort: 'message_stats.publish_in_details.rate', value: (x) => fmt.statRate(x.message_stats, 'publish_in'), cls: 'r'},
    {label: 'Message rate out', sort: 'message_stats.publish_out_details.rate', value: (x) => fmt.statRate(x.message_stats, 'publish_out'), cls: 'r'},
  ].filter(Boolean);
  const l = listing({
    id: 'exchanges', columns, empty: 'No exchanges',
    path: (v) => (v ? `/exchanges/${enc(v)}` : '/exchanges'),
    fields: ['name', 'vhost', 'type', 'durable', 'auto_delete', 'internal', 'arguments', 'policy', 'message_stats'],
  });
  let types = TYPES;
  try {
    const o = await get('/overview', {columns: 'exchange_types'});
    if (Array.isArray(o.exchange_types) && o.exchange_types.length) types = o.exchange_types.map((t) => t.name);
  } catch {
    // the four standard types
  }
  const add = form([
    {name: 'vhost', label: 'Virtual host', ...vhostOptions(state.vhosts, state.vhost)},
    {name: 'name', label: 'Name', required: true},
    {name: 'type', label: 'Type', type: 'select', options: types.map((t) => [t, t])},
    {name: 'durable', label: 'Durability', type: 'select', options: [['true', 'Durable'], ['false', 'Transient']]},
    {name: 'auto_delete', label: 'Auto delete', type: 'select', options: [['false', 'No'], ['true', 'Yes']]},
    {name: 'internal', label: 'Internal', type: 'select', options: [['false', 'No'], ['true', 'Yes']]},
    {name: 'arguments', label: 'Arguments', element: argsEditor([['alternate-exchange', 'string', 'where unroutable messages go']])},
  ], 'Add exchange', async (v, el) => {
    const ok = await act(() => put(`/exchanges/${enc(v.vhost)}/${enc(v.name)}`, {type: v.type, durable: v.durable === 'true',
      auto_delete: v.auto_delete === 'true', internal: v.internal === 'true', arguments: v.arguments}), `Exchange ${v.name} added.`);
    if (ok) {
      reset(el);
      l.refresh();
    }
  }, {id: 'add-exchange'});
  fill(main, h('h1', null, 'Exchanges'), panel('All exchanges', 'exchanges', l.el), panel('Add a new exchange', 'add', add));
  await l.refresh();
  return {refresh: l.refresh};
}

export async function detail(main, {vhost, name: urlName}) {
  const name = urlName === 'amq.default' ? '' : urlName;
  const path = `/exchanges/${enc(vhost)}/${enc(urlName)}`;
  const rates = chart('Message rates', [['Publish (In)', 'publish_in'], ['Publish (Out)', 'publish_out']], {rates: true, format: fmt.rate});
  const figures = h('div', {class: 'facts-row'});
  const outgoing = h('div', {id: 'bindings-source'});
  const incoming = h('div', {id: 'bindings-destination'});
  const del1 = form([{name: 'if_unused', label: 'Only if unused', type: 'checkbox'}], 'Delete this exchange', async (v) => {
    if (!(await confirm(`Delete exchange ${name}?`, 'Delete'))) return;
    const ok = await act(() => del(path, v.if_unused ? {'if-unused': true} : {}), `Exchange ${name} deleted.`);
    if (ok) location.hash = '#/exchanges';
  }, {id: 'delete'});
  const x0 = await get(path, sampleParams('rates'));
  const bindable = name !== '';
  fill(main, heading('Exchange', name, vhost),
    panel('Overview', 'overview', rates.el, figures),
    panel('Bindings', 'bindings', h('h3', null, 'From this exchange'), outgoing,
      bindable ? h('h3', null, 'To this exchange') : null, bindable ? incoming : null,
      bindable ? h('h3', null, 'Add binding from this exchange') : null, bindable ? bindExchangeForm(vhost, name, () => refresh()) : null),
    panel('Publish message', 'publish-panel', publishForm(vhost, name, null)),
    name.startsWith('amq.') || name === '' ? null : panel('Delete this exchange', 'delete-panel', del1));

  async function refresh(x) {
    const [e, src, dst] = await Promise.all([x || get(path, sampleParams('rates')), get(path + '/bindings/source'),
      bindable ? get(path + '/bindings/destination') : []]);
    rates.update(e.message_stats);
    fill(figures, facts([['Type', e.type], ['Features', features(e)], ['Policy', e.policy || ''],
      ['Arguments', fmt.short(e.arguments)]]));
    fill(outgoing, name === '' ? h('p', null, 'The default exchange is implicitly bound to every queue, with a routing key equal to the queue name. It cannot be bound or unbound.')
      : bindingTable(src, 'destination', () => refresh()));
    fill(incoming, bindingTable(dst, 'source', () => refresh()));
  }
  await refresh(x0);
  return {refresh: () => refresh()};
}
