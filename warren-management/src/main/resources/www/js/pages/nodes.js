// One node (/api/nodes/{name}): its figures against their limits, and everything else it reports.

import {h, fill, enc} from '../dom.js';
import {get} from '../api.js';
import {panel, facts, heading} from '../ui.js';
import * as fmt from '../fmt.js';
import {bar} from './overview.js';

const SHOWN = new Set(['name', 'fd_used', 'fd_total', 'sockets_used', 'sockets_total', 'proc_used', 'proc_total', 'mem_used',
  'mem_limit', 'mem_alarm', 'disk_free', 'disk_free_limit', 'disk_free_alarm', 'uptime', 'processors', 'running']);

export async function page(main, {name}) {
  const path = '/nodes/' + enc(name);
  const figures = h('div', {class: 'facts-row'});
  const rest = h('div');
  fill(main, heading('Node', name), panel('Overview', 'overview', figures), panel('Details', 'details', rest));

  async function refresh() {
    const n = await get(path);
    fill(figures,
      facts([['File descriptors', bar(n.fd_used, n.fd_total, fmt.count)], ['Socket descriptors', bar(n.sockets_used, n.sockets_total, fmt.count)],
        ['Processes', bar(n.proc_used, n.proc_total, fmt.count)],
        ['Memory', bar(n.mem_used, typeof n.mem_limit === 'number' ? n.mem_limit : undefined, fmt.bytes, n.mem_alarm)],
        ['Free disk space', typeof n.disk_free === 'number' ? bar(n.disk_free, undefined, fmt.bytes, n.disk_free_alarm) : undefined]]),
      facts([['Uptime', fmt.uptime(n.uptime)], ['Cores', fmt.count(n.processors)], ['State', n.running === false ? 'not running' : 'running'],
        ['Memory high watermark', typeof n.mem_limit === 'number' ? fmt.bytes(n.mem_limit) : undefined],
        ['Disk low watermark', typeof n.disk_free_limit === 'number' ? fmt.bytes(n.disk_free_limit) : undefined]]));
    const others = Object.entries(n).filter(([k, v]) => !SHOWN.has(k) && !k.endsWith('_details') && v !== null && typeof v !== 'object');
    fill(rest, facts(others.map(([k, v]) => [k, String(v)])));
  }
  await refresh();
  return {refresh};
}
