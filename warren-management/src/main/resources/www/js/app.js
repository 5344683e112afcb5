// The UI's shell: login, the header with the user, the vhost selector and the refresh interval,
// the tabs, and the hash routes (RabbitMQ's: #/queues/%2F/name), each drawn by a page module.

import {h, fill, $} from './dom.js';
import {auth, get, whenLoginRefused, ApiError} from './api.js';
import {state} from './state.js';
import {noticeArea, clearNotices} from './ui.js';
import {RANGE, RANGES, setRange} from './chart.js';
import * as nodes from './pages/nodes.js';
import * as overview from './pages/overview.js';
import * as connections from './pages/connections.js';
import * as channels from './pages/channels.js';
import * as exchanges from './pages/exchanges.js';
import * as queues from './pages/queues.js';
import * as queue from './pages/queue.js';
import * as users from './pages/users.js';
import * as vhosts from './pages/vhosts.js';
import * as policies from './pages/policies.js';
import * as limits from './pages/limits.js';
import * as definitions from './pages/definitions.js';
import * as login from './pages/login.js';

const routes = [
  ['', overview.page, 'overview'],
  ['connections', connections.list, 'connections'],
  ['connections/:name', connections.detail, 'connections'],
  ['channels', channels.list, 'channels'],
  ['channels/:name', channels.detail, 'channels'],
  ['exchanges', exchanges.list, 'exchanges'],
  ['exchanges/:vhost/:name', exchanges.detail, 'exchanges'],
  ['nodes/:name', nodes.page, 'overview'],
  ['queues', queues.list, 'queues'],
  ['queues/:vhost/:name', queue.page, 'queues'],
  ['users', users.list, 'admin'],
  ['users/:name', users.detail, 'admin'],
  ['vhosts', vhosts.list, 'admin'],
  ['vhosts/:name', vhosts.detail, 'admin'],
  ['policies', policies.page, 'admin'],
  ['limits', limits.page, 'admin'],
  ['definitions', definitions.page, 'admin'],
].map(([pattern, render, tab]) => ({parts: pattern ? pattern.split('/') : [], render, tab}));

const REFRESH_KEY = 'warren.refresh';
let current = null; // {refresh, leave}
let timer = null;
let generation = 0;

function match(hash) {
  const path = hash.replace(/^#\/?/, '').replace(/\/$/, '');
  const segs = path ? path.split('/') : [];
  for (const r of routes) {
    if (r.parts.length !== segs.length) continue;
    const params = {};
    let ok = true;
    r.parts.forEach((p, i) => {
      if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(segs[i]);
      else if (p !== segs[i]) ok = false;
    });
    if (ok) return {route: r, params};
  }
  return null;
}

async function show() {
  const g = ++generation;
  if (current && current.leave) current.leave();
  current = null;
  clearNotices('error');
  const main = $('#main');
  const m = match(location.hash);
  document.querySelectorAll('nav.tabs a').forEach((a) => a.classList.toggle('active', !!m && a.dataset.tab === m.route.tab));
  if (!m) {
    fill(main, notFound('There is no such page.'));
    return;
  }
  fill(main, h('p', {class: 'loading'}, 'Loading…'));
  try {
    const page = await m.route.render(main, m.params);
    if (g === generation) current = page || null;
  } catch (e) {
    if (g !== generation) return;
    if (e instanceof ApiError && e.status === 404) fill(main, notFound('The object does not exist.'));
    else if (e instanceof ApiError && e.loginRefused) return;
    else fill(main, h('div', {class: 'notice error'}, e.reason || e.message || String(e)));
  }
}

function notFound(text) {
  return h('div', {class: 'not-found'}, h('h1', null, 'Not found'), h('p', null, text), h('p', null, h('a', {href: '#/'}, 'Back to the overview')));
}

async function tick() {
  if (document.hidden || !current || !current.refresh) return;
  try {
    await current.refresh();
    $('#status').textContent = 'Refreshed ' + new Date().toLocaleTimeString();
    $('#status').classList.remove('error');
  } catch (e) {
    if (e instanceof ApiError && e.loginRefused) return;
    $('#status').textContent = 'Could not refresh: ' + (e.reason || e.message);
    $('#status').classList.add('error');
  }
}

function schedule() {
  clearInterval(timer);
  const s = Number(sessionStorage.getItem(REFRESH_KEY) || 5);
  if (s > 0) timer = setInterval(tick, s * 1000);
}

function layout() {
  const u = state.user;
  const vhostSel = h('select', {id: 'vhost-select', 'aria-label': 'Virtual host'},
    h('option', {value: ''}, 'All'),
    state.vhosts.map((v) => h('option', {value: v.name, selected: v.name === state.vhost}, v.name)));
  vhostSel.addEventListener('change', () => {
    state.vhost = vhostSel.value;
    show();
  });
  const refreshSel = h('select', {id: 'refresh-select', 'aria-label': 'Refresh every'},
    [[0, 'Off'], [5, '5 s'], [10, '10 s'], [30, '30 s']].map(([v, t]) =>
      h('option', {value: v, selected: String(v) === (sessionStorage.getItem(REFRESH_KEY) || '5')}, t)));
  refreshSel.addEventListener('change', () => {
    sessionStorage.setItem(REFRESH_KEY, refreshSel.value);
    schedule();
  });
  const rangeSel = h('select', {id: 'range-select', 'aria-label': 'Charts show'},
    RANGES.map(([age, , text]) => h('option', {value: age, selected: age === RANGE.age}, text)));
  rangeSel.addEventListener('change', () => {
    setRange(Number(rangeSel.value));
    show();
  });
  const tabs = [['#/', 'Overview', 'overview'], ['#/connections', 'Connections', 'connections'], ['#/channels', 'Channels', 'channels'],
    ['#/exchanges', 'Exchanges', 'exchanges'], ['#/queues', 'Queues', 'queues']];
  if (state.admin || state.policymaker) tabs.push([state.admin ? '#/users' : '#/policies', 'Admin', 'admin']);
  fill(document.body,
    h('header', {class: 'top'},
      h('a', {class: 'brand', href: '#/'}, h('img', {src: 'img/logo.svg', alt: '', width: 28, height: 28}), h('span', null, 'WarrenMQ')),
      h('span', {class: 'cluster', id: 'cluster'}),
      h('div', {class: 'who'},
        h('span', {id: 'user'}, 'User ', h('b', null, u.name), u.tags.length ? ` (${u.tags.join(', ')})` : ''),
        h('label', null, 'Virtual host ', vhostSel),
        h('label', null, 'Charts ', rangeSel),
        h('label', null, 'Refresh ', refreshSel),
        h('button', {type: 'button', id: 'logout', class: 'secondary', onclick: logout}, 'Log out'))),
    h('nav', {class: 'tabs'}, tabs.map(([href, text, tab]) => h('a', {href, 'data-tab': tab}, text))),
    h('div', {id: 'notices'}),
    h('main', {id: 'main'}),
    h('footer', null, h('span', {id: 'status'}), h('span', null, h('a', {href: 'api/overview', target: '_blank', rel: 'noopener'}, 'HTTP API'))));
  noticeArea($('#notices'));
  get('/cluster-name').then((c) => {
    $('#cluster').textContent = c.name;
  }).catch(() => {});
}

export async function start() {
  whenLoginRefused((e) => {
    auth.clear();
    showLogin('Your credentials were refused: log in again.');
  });
  window.addEventListener('hashchange', () => {
    if (state.user) show();
  });
  if (!auth.header) return showLogin();
  try {
    await enter();
  } catch (e) {
    auth.clear();
    showLogin(e instanceof ApiError ? login.reason(e) : String(e));
  }
}

/** Reads who the user is and draws the UI; throws when the credentials are refused. */
async function enter() {
  state.user = await get('/whoami', undefined, {login: true});
  try {
    state.vhosts = await get('/vhosts', {columns: 'name'});
  } catch {
    state.vhosts = [];
  }
  if (state.vhost && !state.vhosts.some((v) => v.name === state.vhost)) state.vhost = '';
  layout();
  schedule();
  await show();
}

/** The vhost list changed (added, deleted): the header's selector follows. */
export async function vhostsChanged() {
  state.vhosts = await get('/vhosts', {columns: 'name'});
  const sel = $('#vhost-select');
  if (!sel) return;
  fill(sel, h('option', {value: ''}, 'All'), state.vhosts.map((v) => h('option', {value: v.name, selected: v.name === state.vhost}, v.name)));
}

function showLogin(message) {
  clearInterval(timer);
  state.user = null;
  if (current && current.leave) current.leave();
  current = null;
  login.render(document.body, message, async (user, password) => {
    auth.set(user, password);
    try {
      await enter();
    } catch (e) {
      auth.clear();
      throw e;
    }
  });
}

function logout() {
  auth.clear();
  state.user = null;
  history.replaceState(null, '', '#/');
  showLogin();
}

start();
