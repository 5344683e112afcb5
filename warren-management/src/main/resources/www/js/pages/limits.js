// Limits: per vhost (max-connections, max-queues: /api/vhost-limits) and per user
// (max-connections, max-channels: /api/user-limits), set and cleared.

import {h, fill, enc} from '../dom.js';
import {get, put, del} from '../api.js';
import {state} from '../state.js';
import {panel, table, form, act, vhostOptions} from '../ui.js';
import * as fmt from '../fmt.js';
import {adminNav} from './admin.js';

function rows(list, owner) {
  const out = [];
  for (const l of list) for (const [name, value] of Object.entries(l.value || {})) out.push({owner: l[owner], name, value});
  return out;
}

export async function page(main) {
  const vhostBody = h('div', {id: 'vhost-limits'});
  const userBody = h('div', {id: 'user-limits'});
  let users = [];
  try {
    users = (await get('/users')).map((u) => u.name);
  } catch {
    users = [];
  }
  const setVhost = form([
    {name: 'vhost', label: 'Virtual host', ...vhostOptions(state.vhosts, state.vhost)},
    {name: 'name', label: 'Limit', type: 'select', options: [['max-connections', 'max-connections'], ['max-queues', 'max-queues']]},
    {name: 'value', label: 'Value', type: 'number', required: true, help: 'a negative value means no limit'},
  ], 'Set / update limit', async (v) => {
    if (await act(() => put(`/vhost-limits/${enc(v.vhost)}/${enc(v.name)}`, {value: Number(v.value)}), 'Limit set.')) refresh();
  }, {id: 'set-vhost-limit'});
  const setUser = form([
    {name: 'user', label: 'User', type: 'select', options: users.map((u) => [u, u])},
    {name: 'name', label: 'Limit', type: 'select', options: [['max-connections', 'max-connections'], ['max-channels', 'max-channels']]},
    {name: 'value', label: 'Value', type: 'number', required: true, help: 'a negative value means no limit'},
  ], 'Set / update limit', async (v) => {
    if (await act(() => put(`/user-limits/${enc(v.user)}/${enc(v.name)}`, {value: Number(v.value)}), 'Limit set.')) refresh();
  }, {id: 'set-user-limit'});
  fill(main, adminNav('limits'), h('h1', null, 'Limits'),
    panel('Virtual host limits', 'vhost-limits-panel', vhostBody, h('h3', null, 'Set / update a virtual host limit'), setVhost),
    panel('User limits', 'user-limits-panel', userBody, h('h3', null, 'Set / update a user limit'), setUser));

  const clear = (path) => h('button', {type: 'button', class: 'small secondary', onclick: async () => {
    if (await act(() => del(path), 'Limit cleared.')) refresh();
  }}, 'Clear');

  async function refresh() {
    const [vl, ul] = await Promise.all([get('/vhost-limits'), get('/user-limits')]);
    fill(vhostBody, table([{label: 'Virtual host', value: (r) => r.owner}, {label: 'Limit', value: (r) => r.name},
      {label: 'Value', value: (r) => fmt.count(r.value), cls: 'r'}, {label: '', value: (r) => clear(`/vhost-limits/${enc(r.owner)}/${enc(r.name)}`)}],
    rows(vl, 'vhost'), {empty: 'No limits'}));
    fill(userBody, table([{label: 'User', value: (r) => r.owner}, {label: 'Limit', value: (r) => r.name},
      {label: 'Value', value: (r) => fmt.count(r.value), cls: 'r'}, {label: '', value: (r) => clear(`/user-limits/${enc(r.owner)}/${enc(r.name)}`)}],
    rows(ul, 'user'), {empty: 'No limits'}));
  }
  await refresh();
  return {refresh};
}
