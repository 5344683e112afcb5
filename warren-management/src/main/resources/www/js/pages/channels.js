// Channels: the list (/api/channels, or /api/vhosts/{vhost}/channels) and one channel's page
// with its figures and consumers.

import {h, fill, enc} from '../dom.js';
import {get} from '../api.js';
import {state} from '../state.js';
import {listing} from '../listing.js';
import {panel, facts, table, heading, badges} from '../ui.js';
import {chart, sampleParams, RATES} from '../chart.js';
import * as fmt from '../fmt.js';
import {stateBadge} from './connections.js';

export const channelLink = (name) => h('a', {href: '#/channels/' + enc(name)}, name);

function mode(c) {
  return badges([c.confirm && ['C', 'confirm'], c.transactional && ['T', 'transactional']]);
}

/** The columns of a channel table; sort keys only where the table is a listing. */
export function channelColumns({withConnection = true, sortable = false} = {}) {
  const s = (k) => (sortable ? k : undefined);
  return [
    {label: 'Channel', sort: s('name'), value: (c) => channelLink(c.name)},
    withConnection && !state.vhost && {label: 'Virtual host', sort: s('vhost'), value: (c) => c.vhost},
    {label: 'User', sort: s('user'), value: (c) => c.user},
    {label: 'Mode', value: mode},
    {label: 'State', sort: s('state'), value: (c) => stateBadge(c.state)},
    {label: 'Unconfirmed', sort: s('messages_unconfirmed'), value: (c) => fmt.count(c.messages_unconfirmed), cls: 'r'},
    {label: 'Prefetch', sort: s('prefetch_count'), value: (c) => fmt.count(c.prefetch_count), cls: 'r'},
    {label: 'Unacked', sort: s('messages_unacknowledged'), value: (c) => fmt.count(c.messages_unacknowledged), cls: 'r'},
    {label: 'Consumers', sort: s('consumer_count'), value: (c) => fmt.count(c.consumer_count), cls: 'r'},
    {label: 'Publish', sort: s('message_stats.publish_details.rate'), value: (c) => fmt.statRate(c.message_stats, 'publish'), cls: 'r'},
    {label: 'Deliver / get', sort: s('message_stats.deliver_get_details.rate'), value: (c) => fmt.statRate(c.message_stats, 'deliver_get'), cls: 'r'},
    {label: 'Ack', sort: s('message_stats.ack_details.rate'), value: (c) => fmt.statRate(c.message_stats, 'ack'), cls: 'r'},
  ].filter(Boolean);
}

export async function list(main) {
  const l = listing({
    id: 'channels', columns: channelColumns({sortable: true}), empty: 'No channels',
    path: (v) => (v ? `/vhosts/${enc(v)}/channels` : '/channels'),
    fields: ['name', 'vhost', 'user', 'confirm', 'transactional', 'state', 'messages_unconfirmed', 'prefetch_count',
      'messages_unacknowledged', 'consumer_count', 'message_stats'],
  });
  fill(main, h('h1', null, 'Channels'), panel('All channels', 'channels', l.el));
  await l.refresh();
  return {refresh: l.refresh};
}

export async function detail(main, {name}) {
  const path = '/channels/' + enc(name);
  const rates = chart('Message rates', RATES, {rates: true, format: fmt.rate});
  const figures = h('div', {class: 'facts-row'});
  const consumers = h('div');
  fill(main, heading('Channel', name), panel('Overview', 'overview', rates.el, figures), panel('Consumers', 'consumers', consumers));

  async function refresh() {
    const c = await get(path, sampleParams('rates'));
    rates.update(c.message_stats);
    const conn = c.connection_details || {};
    fill(figures,
      facts([['Connection', conn.name ? h('a', {href: '#/connections/' + enc(conn.name)}, conn.name) : undefined],
        ['Virtual host', c.vhost], ['Username', c.user], ['Mode', mode(c)], ['State', stateBadge(c.state)]]),
      facts([['Prefetch count', fmt.count(c.prefetch_count)], ['Global prefetch count', fmt.count(c.global_prefetch_count)],
        ['Messages unacknowledged', fmt.count(c.messages_unacknowledged)], ['Messages unconfirmed', fmt.count(c.messages_unconfirmed)],
        ['Messages uncommitted', fmt.count(c.messages_uncommitted)], ['Acks uncommitted', fmt.count(c.acks_uncommitted)]]));
    fill(consumers, consumerTable(c.consumer_details || [], 'queue'));
  }
  await refresh();
  return {refresh};
}

/** Consumers of a channel (showing their queue) or of a queue (showing their channel). */
export function consumerTable(list, show) {
  return table([
    show === 'queue'
      ? {label: 'Queue', value: (c) => (c.queue ? h('a', {href: `#/queues/${enc(c.queue.vhost)}/${enc(c.queue.name)}`}, c.queue.name) : '')}
      : {label: 'Channel', value: (c) => (c.channel_details?.name ? channelLink(c.channel_details.name) : '')},
    {label: 'Consumer tag', value: (c) => c.consumer_tag},
    {label: 'Ack required', value: (c) => fmt.bool(c.ack_required)},
    {label: 'Exclusive', value: (c) => fmt.bool(c.exclusive)},
    {label: 'Prefetch count', value: (c) => fmt.count(c.prefetch_count), cls: 'r'},
    {label: 'Active', value: (c) => (c.active === undefined ? '' : fmt.bool(c.active))},
    {label: 'Activity status', value: (c) => c.activity_status || ''},
    {label: 'Arguments', value: (c) => fmt.short(c.arguments)},
  ], list, {empty: 'No consumers'});
}
