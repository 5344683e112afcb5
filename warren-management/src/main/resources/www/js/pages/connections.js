// Connections: the list (/api/connections, or /api/vhosts/{vhost}/connections) and one
// connection's page with its client, its channels and a close button (DELETE with X-Reason).

import {h, fill, enc} from '../dom.js';
import {get, del} from '../api.js';
import {state} from '../state.js';
import {listing} from '../listing.js';
import {panel, facts, table, form, act, confirm, heading, badges} from '../ui.js';
import {chart, dataRateParams} from '../chart.js';
import * as fmt from '../fmt.js';
import {channelColumns} from './channels.js';

export const connLink = (name) => h('a', {href: '#/connections/' + enc(name)}, name);

export async function list(main) {
  const columns = [
    {label: 'Name', sort: 'name', value: (c) => h('span', null, connLink(c.name),
      c.client_properties?.connection_name ? h('small', {class: 'sub'}, c.client_properties.connection_name) : null)},
    !state.vhost && {label: 'Virtual host', sort: 'vhost', value: (c) => c.vhost},
    {label: 'User', sort: 'user', value: (c) => c.user},
    {label: 'State', sort: 'state', value: (c) => stateBadge(c.state)},
    {label: 'TLS', sort: 'ssl', value: (c) => (c.ssl ? 'TLS' : '○')},
    {label: 'Protocol', sort: 'protocol', value: (c) => c.protocol},
    {label: 'Channels', sort: 'channels', value: (c) => fmt.count(c.channels), cls: 'r'},
    {label: 'From client', sort: 'recv_oct_details.rate', value: (c) => fmt.byteRate(c.recv_oct_details?.rate), cls: 'r'},
    {label: 'To client', sort: 'send_oct_details.rate', value: (c) => fmt.byteRate(c.send_oct_details?.rate), cls: 'r'},
  ].filter(Boolean);
  const l = listing({
    id: 'connections', columns, empty: 'No connections',
    path: (v) => (v ? `/vhosts/${enc(v)}/connections` : '/connections'),
    fields: ['name', 'vhost', 'user', 'state', 'ssl', 'protocol', 'channels', 'recv_oct_details', 'send_oct_details', 'client_properties.connection_name'],
  });
  fill(main, h('h1', null, 'Connections'), panel('All connections', 'connections', l.el));
  await l.refresh();
  return {refresh: l.refresh};
}

export function stateBadge(s) {
  return h('span', {class: ['state', 'state-' + (s || 'unknown')]}, s || '');
}

export async function detail(main, {name}) {
  const path = '/connections/' + enc(name);
  const figures = h('div', {class: 'facts-row'});
  const client = h('div');
  const chans = h('div');
  const rates = chart('Data rates', [['From client', 'recv_oct'], ['To client', 'send_oct']], {rates: true, format: fmt.byteRate});
  const close = form([{name: 'reason', label: 'Reason', value: 'Closed via management plugin',
    help: 'The client receives connection.close 320 CONNECTION_FORCED with this text.'}], 'Force close', async (v) => {
    if (!(await confirm(`Close connection ${name}?`, 'Close'))) return;
    if (await act(() => del(path, undefined, {'X-Reason': v.reason}), 'Connection closed.')) location.hash = '#/connections';
  }, {id: 'close-connection'});
  fill(main, heading('Connection', name), panel('Overview', 'overview', rates.el, figures),
    panel('Client properties', 'client-properties', client), panel('Channels', 'channels', chans),
    panel('Close this connection', 'close', close));

  async function refresh() {
    const [c, cs] = await Promise.all([get(path, dataRateParams()), get(path + '/channels')]);
    rates.update(c);
    fill(figures,
      facts([['Virtual host', c.vhost], ['Username', c.user], ['Protocol', c.protocol], ['Connected at', fmt.time(c.connected_at)],
        ['Authentication', c.auth_mechanism], ['State', stateBadge(c.state)]]),
      facts([['Client', `${c.peer_host}:${c.peer_port}`], ['Server', c.host !== undefined ? `${c.host}:${c.port}` : undefined],
        ['TLS', c.ssl === undefined ? undefined : fmt.bool(c.ssl)], ['Heartbeat', c.timeout === undefined ? undefined : `${c.timeout} s`],
        ['Frame max', c.frame_max === undefined ? undefined : `${fmt.count(c.frame_max)} bytes`],
        ['Channel limit', c.channel_max === undefined ? undefined : fmt.count(c.channel_max)]]));
    const props = c.client_properties || {};
    const caps = props.capabilities || {};
    fill(client, facts(Object.entries(props).filter(([k]) => k !== 'capabilities').map(([k, v]) => [k, fmt.short(v)])
      .concat([['capabilities', badges(Object.entries(caps).filter(([, v]) => v).map(([k]) => [k]))]])));
    fill(chans, table(channelColumns({withConnection: false}), cs, {empty: 'No channels'}));
  }
  await refresh();
  return {refresh};
}
