// Users: the list and "add a user" (PUT /api/users/{name}), and one user's page: tags, password,
// permissions and topic permissions per vhost, delete.

import {h, fill, enc} from '../dom.js';
import {get, put, del} from '../api.js';
import {state} from '../state.js';
import {panel, table, form, act, confirm, heading, facts, badges, reset, vhostOptions, notify} from '../ui.js';
import {adminNav, re} from './admin.js';

const TAGS = ['administrator', 'monitoring', 'policymaker', 'management', 'impersonator'];

const tagList = (t) => (Array.isArray(t) ? t : String(t || '').split(',').map((x) => x.trim()).filter(Boolean));

/** A tags input with RabbitMQ's quick links. */
function tagsField(value = '') {
  const input = h('input', {name: 'tags', class: 'tags', value, placeholder: 'comma-separated'});
  const wrap = h('div', {class: 'tags-field'}, input, h('div', {class: 'suggest'}, h('span', null, 'Set '),
    TAGS.map((t) => h('button', {type: 'button', class: 'link', onclick: () => {
      const now = tagList(input.value);
      input.value = (now.includes(t) ? now.filter((x) => x !== t) : [...now, t]).join(', ');
    }}, t)),
    h('button', {type: 'button', class: 'link', onclick: () => (input.value = '')}, 'none')));
  wrap.value = () => tagList(input.value).join(',');
  wrap.clear = () => (input.value = '');
  return wrap;
}

export async function list(main) {
  const body = h('div');
  const add = form([
    {name: 'name', label: 'Username', required: true},
    {name: 'password', label: 'Password', type: 'password'},
    {name: 'tags', label: 'Tags', element: tagsField()},
  ], 'Add user', async (v, el) => {
    const user = {tags: v.tags};
    if (v.password) user.password = v.password;
    else user.password_hash = '';
    if (await act(() => put(`/users/${enc(v.name)}`, user), `User ${v.name} added.`)) {
      reset(el);
      refresh();
    }
  }, {id: 'add-user'});
  fill(main, adminNav('users'), h('h1', null, 'Users'), panel('All users', 'users', body), panel('Add a user', 'add', add));

  async function refresh() {
    const [users, perms] = await Promise.all([get('/users'), get('/permissions')]);
    const access = {};
    for (const p of perms) (access[p.user] ||= []).push(p.vhost);
    fill(body, table([
      {label: 'Name', value: (u) => h('a', {href: '#/users/' + enc(u.name)}, u.name)},
      {label: 'Tags', value: (u) => badges(tagList(u.tags).map((t) => [t]))},
      {label: 'Can access virtual hosts', value: (u) => (access[u.name] || []).join(', ') || h('i', null, 'No access')},
      {label: 'Has password', value: (u) => (u.password_hash ? '●' : '○')},
    ], users, {empty: 'No users'}));
  }
  await refresh();
  return {refresh};
}

export async function detail(main, {name}) {
  const path = '/users/' + enc(name);
  let user = await get(path);
  const figures = h('div');
  const perms = h('div', {id: 'permissions'});
  const topic = h('div', {id: 'topic-permissions'});
  const vhosts = state.vhosts;

  const tags = tagsField(tagList(user.tags).join(', '));
  const tagsForm = form([{name: 'tags', label: 'Tags', element: tags}], 'Update tags', async (v) => {
    // the stored hash goes back with the tags: a PUT without password or hash clears the password (RabbitMQ)
    const body = {tags: v.tags, password_hash: user.password_hash || ''};
    if (user.hashing_algorithm) body.hashing_algorithm = user.hashing_algorithm;
    if (await act(() => put(path, body), 'Tags updated.')) refresh();
  }, {id: 'update-tags'});
  const passwordForm = form([
    {name: 'password', label: 'New password', type: 'password'},
    {name: 'confirm', label: 'Confirm', type: 'password'},
    {name: 'none', label: 'No password (the user cannot log in with one)', type: 'checkbox'},
  ], 'Update password', async (v, el) => {
    if (!v.none && v.password !== v.confirm) {
      notify('The passwords do not match.', 'error');
      return;
    }
    const body = {tags: tagList(user.tags).join(',')};
    if (v.none) body.password_hash = '';
    else body.password = v.password;
    if (await act(() => put(path, body), 'Password updated.')) {
      reset(el);
      refresh();
    }
  }, {id: 'update-password'});

  const permForm = form([
    {name: 'vhost', label: 'Virtual host', ...vhostOptions(vhosts, state.vhost)},
    {name: 'configure', label: 'Configure regexp', value: '.*'},
    {name: 'write', label: 'Write regexp', value: '.*'},
    {name: 'read', label: 'Read regexp', value: '.*'},
  ], 'Set permission', async (v) => {
    if (await act(() => put(`/permissions/${enc(v.vhost)}/${enc(name)}`, {configure: v.configure, write: v.write, read: v.read}), 'Permission set.')) refresh();
  }, {id: 'set-permission'});
  const topicForm = form([
    {name: 'vhost', label: 'Virtual host', ...vhostOptions(vhosts, state.vhost)},
    {name: 'exchange', label: 'Exchange', value: 'amq.topic'},
    {name: 'write', label: 'Write regexp', value: '.*'},
    {name: 'read', label: 'Read regexp', value: '.*'},
  ], 'Set topic permission', async (v) => {
    if (await act(() => put(`/topic-permissions/${enc(v.vhost)}/${enc(name)}`, {exchange: v.exchange, write: v.write, read: v.read}), 'Topic permission set.')) refresh();
  }, {id: 'set-topic-permission'});
  const remove = form([], 'Delete this user', async () => {
    if (!(await confirm(`Delete user ${name}?`, 'Delete'))) return;
    if (await act(() => del(path), `User ${name} deleted.`)) location.hash = '#/users';
  }, {id: 'delete'});

  fill(main, adminNav('users'), heading('User', name), panel('Overview', 'overview', figures),
    panel('Permissions', 'permissions-panel', perms, h('h3', null, 'Set permission'), permForm),
    panel('Topic permissions', 'topic-permissions-panel', topic, h('h3', null, 'Set topic permission'), topicForm),
    panel('Update this user', 'update', tagsForm, passwordForm),
    panel('Delete this user', 'delete-panel', remove));

  async function refresh() {
    const [u, ps, ts] = await Promise.all([get(path), get(path + '/permissions'), get(path + '/topic-permissions')]);
    user = u;
    fill(figures, facts([['Tags', badges(tagList(u.tags).map((t) => [t]))], ['Has password', u.password_hash ? 'yes' : 'no'],
      ['Hashing algorithm', u.hashing_algorithm], ['Limits', u.limits && Object.keys(u.limits).length ? JSON.stringify(u.limits) : undefined]]));
    fill(perms, permissionTable(ps, 'vhost', refresh));
    fill(topic, topicTable(ts, 'vhost', refresh));
  }
  await refresh();
  return {refresh};
}

/** Permissions of a user (by vhost) or of a vhost (by user), each with a Clear button. */
export function permissionTable(ps, by, onChange) {
  return table([
    by === 'vhost' ? {label: 'Virtual host', value: (p) => h('a', {href: '#/vhosts/' + enc(p.vhost)}, p.vhost)}
      : {label: 'User', value: (p) => h('a', {href: '#/users/' + enc(p.user)}, p.user)},
    {label: 'Configure regexp', value: (p) => re(p.configure)},
    {label: 'Write regexp', value: (p) => re(p.write)},
    {label: 'Read regexp', value: (p) => re(p.read)},
    {label: '', value: (p) => h('button', {type: 'button', class: 'small secondary', onclick: async () => {
      if (await act(() => del(`/permissions/${enc(p.vhost)}/${enc(p.user)}`), 'Permission cleared.')) onChange();
    }}, 'Clear')},
  ], ps, {empty: 'No permissions'});
}

export function topicTable(ts, by, onChange) {
  return table([
    by === 'vhost' ? {label: 'Virtual host', value: (p) => p.vhost} : {label: 'User', value: (p) => p.user},
    {label: 'Exchange', value: (p) => p.exchange},
    {label: 'Write regexp', value: (p) => re(p.write)},
    {label: 'Read regexp', value: (p) => re(p.read)},
    {label: '', value: (p) => h('button', {type: 'button', class: 'small secondary', title: 'Clears this user\'s topic permissions in this virtual host', onclick: async () => {
      if (await act(() => del(`/topic-permissions/${enc(p.vhost)}/${enc(p.user)}`), 'Topic permissions cleared.')) onChange();
    }}, 'Clear')},
  ], ts, {empty: 'No topic permissions'});
}
