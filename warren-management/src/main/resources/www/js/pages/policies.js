// Policies and operator policies: lists, "add / update" (PUT /api/policies/{v}/{name},
// /api/operator-policies/{v}/{name}) and delete.

import {h, fill, enc} from '../dom.js';
import {get, put, del} from '../api.js';
import {state} from '../state.js';
import {panel, table, form, act, argsEditor, vhostOptions, reset} from '../ui.js';
import * as fmt from '../fmt.js';
import {adminNav} from './admin.js';

const POLICY_KEYS = [
  ['max-length', 'number'], ['max-length-bytes', 'number'], ['overflow', 'string'], ['message-ttl', 'number'], ['expires', 'number'],
  ['dead-letter-exchange', 'string'], ['dead-letter-routing-key', 'string'], ['max-priority', 'number'], ['delivery-limit', 'number'],
  ['queue-mode', 'string'], ['alternate-exchange', 'string'], ['federation-upstream-set', 'string'],
];
const OPERATOR_KEYS = [['max-length', 'number'], ['max-length-bytes', 'number'], ['message-ttl', 'number'], ['expires', 'number'], ['delivery-limit', 'number']];

function section(kind) {
  const operator = kind === 'operator-policies';
  const body = h('div', {id: kind});
  const applyTo = operator
    ? [['queues', 'Queues'], ['classic_queues', 'Classic queues'], ['quorum_queues', 'Quorum queues'], ['streams', 'Streams']]
    : [['all', 'Exchanges and queues'], ['exchanges', 'Exchanges'], ['queues', 'Queues'], ['classic_queues', 'Classic queues'],
      ['quorum_queues', 'Quorum queues'], ['streams', 'Streams']];
  const add = form([
    {name: 'vhost', label: 'Virtual host', ...vhostOptions(state.vhosts, state.vhost)},
    {name: 'name', label: 'Name', required: true},
    {name: 'pattern', label: 'Pattern', required: true, placeholder: '^amq\\.', help: 'a regular expression matched against the names'},
    {name: 'apply_to', label: 'Apply to', type: 'select', options: applyTo},
    {name: 'priority', label: 'Priority', type: 'number', value: 0},
    {name: 'definition', label: 'Definition', element: argsEditor(operator ? OPERATOR_KEYS : POLICY_KEYS)},
  ], operator ? 'Add / update operator policy' : 'Add / update policy', async (v, el) => {
    const ok = await act(() => put(`/${kind}/${enc(v.vhost)}/${enc(v.name)}`,
      {pattern: v.pattern, definition: v.definition, priority: Number(v.priority || 0), 'apply-to': v.apply_to}), `Policy ${v.name} set.`);
    if (ok) {
      reset(el);
      refresh();
    }
  }, {id: operator ? 'add-operator-policy' : 'add-policy'});

  async function refresh() {
    const ps = await get(state.vhost ? `/${kind}/${enc(state.vhost)}` : `/${kind}`);
    fill(body, table([
      !state.vhost && {label: 'Virtual host', value: (p) => p.vhost},
      {label: 'Name', value: (p) => h('b', null, p.name)},
      {label: 'Pattern', value: (p) => h('code', null, p.pattern)},
      {label: 'Apply to', value: (p) => p['apply-to']},
      {label: 'Definition', value: (p) => fmt.short(p.definition)},
      {label: 'Priority', value: (p) => String(p.priority), cls: 'r'},
      {label: '', value: (p) => h('button', {type: 'button', class: 'small secondary', onclick: async () => {
        if (await act(() => del(`/${kind}/${enc(p.vhost)}/${enc(p.name)}`), `Policy ${p.name} deleted.`)) refresh();
      }}, 'Delete')},
    ].filter(Boolean), ps, {empty: 'No policies'}));
  }
  return {body, add, refresh};
}

export async function page(main) {
  const user = section('policies');
  const operator = state.admin ? section('operator-policies') : null;
  fill(main, adminNav('policies'), h('h1', null, 'Policies'),
    panel('User policies', 'user-policies', user.body, h('h3', null, 'Add / update a policy'), user.add),
    operator ? panel('Operator policies', 'operator-policies-panel', h('p', {class: 'help'},
      'Operator policies cap what user policies and arguments set: where both give a value, the lower one applies.'),
    operator.body, h('h3', null, 'Add / update an operator policy'), operator.add) : null);
  const refresh = () => Promise.all([user.refresh(), operator && operator.refresh()]);
  await refresh();
  return {refresh};
}
