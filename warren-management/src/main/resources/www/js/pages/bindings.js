// Bindings of a queue or an exchange (/api/queues/{v}/{q}/bindings,
// /api/exchanges/{v}/{x}/bindings/source and /destination), unbinding by properties_key and
// binding through /api/bindings/{v}/e/{x}/{q|e}/{name}.

import {h, enc} from '../dom.js';
import {post, del} from '../api.js';
import {table, form, act, argsEditor, reset} from '../ui.js';
import * as fmt from '../fmt.js';

function objLink(vhost, type, name) {
  if (type === 'queue') return h('a', {href: `#/queues/${enc(vhost)}/${enc(name)}`}, name);
  return h('a', {href: `#/exchanges/${enc(vhost)}/${enc(name || 'amq.default')}`}, name === '' ? '(AMQP default)' : name);
}

function unbindPath(b) {
  const t = b.destination_type === 'queue' ? 'q' : 'e';
  return `/bindings/${enc(b.vhost)}/e/${enc(b.source)}/${t}/${enc(b.destination)}/${enc(b.properties_key)}`;
}

/**
 * show: 'source' (a queue's page: where its bindings come from) or 'destination' (an exchange's
 * page: where they go). onChange is called after an unbind.
 */
export function bindingTable(bindings, show, onChange) {
  return table([
    show === 'source'
      ? {label: 'From', value: (b) => (b.source === '' ? h('i', null, '(Default exchange binding)') : objLink(b.vhost, 'exchange', b.source))}
      : {label: 'To', value: (b) => h('span', null, objLink(b.vhost, b.destination_type, b.destination), h('small', {class: 'sub'}, b.destination_type))},
    {label: 'Routing key', value: (b) => h('code', null, b.routing_key)},
    {label: 'Arguments', value: (b) => fmt.short(b.arguments)},
    {label: '', value: (b) => (b.source === '' ? '' : h('button', {type: 'button', class: 'small secondary unbind', onclick: async () => {
      if (await act(() => del(unbindPath(b)), 'Binding removed.')) onChange();
    }}, 'Unbind'))},
  ], bindings, {empty: 'No bindings'});
}

const BINDING_ARGS = [['x-match', 'string', 'headers exchange: all or any']];

/** "Add binding from an exchange" on a queue's page. */
export function bindQueueForm(vhost, queue, exchangeNames, onChange) {
  const list = 'exchanges-' + Math.random().toString(36).slice(2);
  const datalist = h('datalist', {id: list}, exchangeNames.filter(Boolean).map((n) => h('option', {value: n})));
  const f = form([
    {name: 'exchange', label: 'From exchange', required: true, list},
    {name: 'routing_key', label: 'Routing key'},
    {name: 'arguments', label: 'Arguments', element: argsEditor(BINDING_ARGS)},
  ], 'Bind', async (v, el) => {
    const ok = await act(() => post(`/bindings/${enc(vhost)}/e/${enc(v.exchange)}/q/${enc(queue)}`,
      {routing_key: v.routing_key, arguments: v.arguments}), 'Binding added.');
    if (ok) {
      reset(el);
      onChange();
    }
  }, {id: 'add-binding'});
  f.append(datalist);
  return f;
}

/** "Add binding from this exchange" on an exchange's page. */
export function bindExchangeForm(vhost, exchange, onChange) {
  const f = form([
    {name: 'type', label: 'To', type: 'select', options: [['q', 'Queue'], ['e', 'Exchange']]},
    {name: 'destination', label: 'Name', required: true},
    {name: 'routing_key', label: 'Routing key'},
    {name: 'arguments', label: 'Arguments', element: argsEditor(BINDING_ARGS)},
  ], 'Bind', async (v, el) => {
    const ok = await act(() => post(`/bindings/${enc(vhost)}/e/${enc(exchange)}/${v.type}/${enc(v.destination)}`,
      {routing_key: v.routing_key, arguments: v.arguments}), 'Binding added.');
    if (ok) {
      reset(el);
      onChange();
    }
  }, {id: 'add-binding'});
  return f;
}
