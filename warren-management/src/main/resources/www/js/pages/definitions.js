// Definitions: download (GET /api/definitions[/{vhost}]?download=...) and upload (POST, the file
// as multipart/form-data in the field "file", as RabbitMQ's UI sends it).

import {h, fill, enc} from '../dom.js';
import {call, query} from '../api.js';
import {state} from '../state.js';
import {panel, form, act} from '../ui.js';
import {adminNav} from './admin.js';

function fileName() {
  const d = new Date();
  const p = (x) => String(x).padStart(2, '0');
  return `warren_${location.hostname || 'localhost'}_${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}.json`;
}

export async function page(main) {
  const scope = [['', 'All virtual hosts'], ...state.vhosts.map((v) => [v.name, v.name])];
  const download = form([
    {name: 'vhost', label: 'Virtual host', type: 'select', options: scope},
    {name: 'file', label: 'File name', value: fileName()},
  ], 'Download definitions', async (v) => {
    await act(async () => {
      const path = (v.vhost ? '/definitions/' + enc(v.vhost) : '/definitions') + query({download: v.file});
      const r = await call('GET', path, undefined, {raw: true});
      const blob = await r.blob();
      const a = h('a', {href: URL.createObjectURL(blob), download: v.file || fileName()});
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    }, 'Definitions downloaded.');
  }, {id: 'download'});
  const upload = form([
    {name: 'vhost', label: 'Virtual host', type: 'select', options: scope},
    {name: 'file', label: 'Definitions file', type: 'file', accept: '.json,application/json', required: true},
  ], 'Upload definitions', async (v) => {
    const data = new FormData();
    data.append('file', v.file, v.file.name);
    await act(() => call('POST', v.vhost ? '/definitions/' + enc(v.vhost) : '/definitions', data),
      'Definitions imported: users, vhosts, permissions, policies, queues, exchanges and bindings of the file now exist here.');
  }, {id: 'upload'});
  fill(main, adminNav('definitions'), h('h1', null, 'Definitions'),
    panel('Export definitions', 'export', h('p', {class: 'help'}, 'The broker\'s topology and users as a JSON file in RabbitMQ\'s definitions format: it imports into WarrenMQ or RabbitMQ.'), download),
    panel('Import definitions', 'import', h('p', {class: 'help'}, 'A file exported from WarrenMQ or RabbitMQ 3.x/4.x. What the file defines is added or updated; nothing else is removed.'), upload));
  return null;
}
