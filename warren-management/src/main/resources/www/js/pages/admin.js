// The admin pages' sub-navigation.

import {h} from '../dom.js';
import {state} from '../state.js';

export function adminNav(active) {
  const items = [
    state.admin && ['#/users', 'Users', 'users'],
    state.admin && ['#/vhosts', 'Virtual hosts', 'vhosts'],
    ['#/policies', 'Policies', 'policies'],
    state.admin && ['#/limits', 'Limits', 'limits'],
    state.admin && ['#/definitions', 'Definitions', 'definitions'],
  ].filter(Boolean);
  return h('nav', {class: 'subnav'}, items.map(([href, text, id]) => h('a', {href, class: id === active ? 'active' : null}, text)));
}

/** Permission regular expressions in RabbitMQ's monospace. */
export const re = (s) => h('code', null, s === '' ? "''" : s);
