// Virtual hosts: the list with "add a virtual host" (PUT /api/vhosts/{name}), and one vhost's
// page: figures, permissions (set / clear), topic permissions, limits, delete.

import {h, fill, enc} from '../dom.js';
import {get, put, del} from '../api.js';
import {panel, table, form, act, confirm, heading, facts, badges, reset} from '../ui.js';
import {chart, sampleParams, QUEUED} from '../chart.js';
import * as fmt from '../fmt.js';
import {adminNav} from './admin.js';
import {permissionTable, topicTable} from './users.js';
import {vhostsChanged} from '../app.js';

const QUEUE_TYPES = [['classic', 'Classic'], ['quorum', 'Quorum'], ['stream', 'Stream']];
const tagList = (t) => (Array.isArray(t) ? t : String(t || '').split(',').map((x) => x.trim()).filter(Boolean));

export async function list(main) {
  const body = h('div');
  const add = form([
    {name: 'name', label: 'Name', required: true},
    {name: 'description', label: 'Description'},
    {name: 'tags', label: 'Tags', placeholder: 'comma-separated'},
    {name: 'default_queue_type', label: 'Default queue type', type: 'select', options: QUEUE_TYPES},
  ], 'Add virtual host', async (v, el) => {
    const ok = await act(() => put('/vhosts/' + enc(v.name), {description: v.description, tags: v.tags, default_queue_type: v.default_queue_type}),
      `Virtual host ${v.name} added.`);
    if (ok) {
      reset(el);
      await vhostsChanged();
      refresh();
    }
  }, {id: 'add-vhost'});
  fill(main, adminNav('vhosts'), h('h1', null, 'Virtual hosts'), panel('All virtual hosts', 'vhosts', body), panel('Add a new virtual host', 'add', add));

  async function refresh() {
    const [vs, perms] = await Promise.all([get('/vhosts'), get('/permissions')]);
    const users = {};
    for (const p of perms) (users[p.vhost] ||= []).push(p.user);
    fill(body, table([
      {label: 'Name', value: (v) => h('a', {href: '#/vhosts/' + enc(v.name)}, v.name)},
      {label: 'Users', value: (v) => (users[v.name] || []).join(', ') || h('i', null, 'No users')},
      {label: 'Description', value: (v) => v.description || ''},
      {label: 'Tags', value: (v) => badges(tagList(v.tags).map((t) => [t]))},
      {label: 'Default queue type', value: (v) => v.default_queue_type || ''},
      {label: 'Ready', value: (v) => fmt.count(v.messages_ready), cls: 'r'},
      {label: 'Unacked', value: (v) => fmt.count(v.messages_unacknowledged), cls: 'r'},
      {label: 'Total', value: (v) => fmt.count(v.messages), cls: 'r'},
      {label: 'Publish', value: (v) => fmt.statRate(v.message_stats, 'publish'), cls: 'r'},
      {label: 'Deliver / get', value: (v) => fmt.statRate(v.message_stats, 'deliver_get'), cls: 'r'},
    ], vs, {empty: 'No virtual hosts'}));
  }
  await refresh();
  return {refresh};
}

export async function detail(main, {name}) {
  const path = '/vhosts/' + enc(name);
  await get(path);
  const queued = chart('Queued messages', QUEUED, {format: fmt.count});
  const figures = h('div');
  const perms = h('div', {id: 'permissions'});
  const topic = h('div', {id: 'topic-permissions'});
  const limits = h('div', {id: 'vhost-limits'});
  let users = [];
  try {
    users = (await get('/users')).map((u) => u.name);
  } catch {
    users = [];
  }
  const permForm = form([
    {name: 'user', label: 'User', type: 'select', options: users.map((u) => [u, u])},
    {name: 'configure', label: 'Configure regexp', value: '.*'},
    {name: 'write', label: 'Write regexp', value: '.*'},
    {name: 'read', label: 'Read regexp', value: '.*'},
  ], 'Set permission', async (v) => {
    if (await act(() => put(`/permissions/${enc(name)}/${enc(v.user)}`, {configure: v.configure, write: v.write, read: v.read}), 'Permission set.')) refresh();
  }, {id: 'set-permission'});
  const remove = form([], 'Delete this virtual host', async () => {
    if (!(await confirm(`Delete virtual host ${name} with all its queues, exchanges and messages?`, 'Delete'))) return;
    if (await act(() => del(path), `Virtual host ${name} deleted.`)) {
      await vhostsChanged();
      location.hash = '#/vhosts';
    }
  }, {id: 'delete'});
  fill(main, adminNav('vhosts'), heading('Virtual host', name), panel('Overview', 'overview', queued.el, figures),
    panel('Permissions', 'permissions-panel', perms, h('h3', null, 'Set permission'), permForm),
    panel('Topic permissions', 'topic-permissions-panel', topic),
    panel('Limits', 'limits-panel', limits, h('p', null, h('a', {href: '#/limits'}, 'Set limits'))),
    panel('Delete this virtual host', 'delete-panel', remove));

  async function refresh() {
    const [v, ps, ts, ls] = await Promise.all([get(path, sampleParams('lengths')), get(path + '/permissions'),
      get(path + '/topic-permissions'), get('/vhost-limits/' + enc(name)).catch(() => [])]);
    queued.update(v);
    fill(figures, facts([['Description', v.description || ''], ['Tags', badges(tagList(v.tags).map((t) => [t]))],
      ['Default queue type', v.default_queue_type], ['Tracing', v.tracing === undefined ? undefined : fmt.bool(v.tracing)]]));
    fill(perms, permissionTable(ps, 'user', refresh));
    fill(topic, topicTable(ts, 'user', refresh));
    const value = (ls[0] && ls[0].value) || {};
    fill(limits, Object.keys(value).length ? facts(Object.entries(value).map(([k, x]) => [k, fmt.count(x)])) : h('p', null, 'No limits.'));
  }
  await refresh();
  return {refresh};
}
