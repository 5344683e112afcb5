// A list page's table over the API's paging: page, page_size, name (+ use_regex), sort,
// sort_reverse and columns, as RabbitMQ's listings take them, for the vhost selected in the header.

import {h, fill} from './dom.js';
import {get, ApiError} from './api.js';
import {state, prefs} from './state.js';
import {table} from './ui.js';
import * as fmt from './fmt.js';

const SIZES = [20, 50, 100, 500];

/**
 * id: preference key; path(vhost): API path ('/queues' or '/queues/%2F'); columns: table columns
 * (with sort keys); fields: the API columns the table reads (sent as ?columns=).
 */
export function listing({id, path, columns, fields, defaultSort = 'name', empty}) {
  const p = prefs(id, {page: 1, page_size: 100, name: '', use_regex: false, sort: defaultSort, sort_reverse: false});
  const filter = h('input', {type: 'search', name: 'filter', class: 'filter', placeholder: 'Filter by name', value: p.name, 'aria-label': 'Filter'});
  const regex = h('input', {type: 'checkbox', name: 'regex', class: 'regex', checked: p.use_regex});
  const pageSel = h('select', {name: 'page', class: 'page'});
  const sizeSel = h('select', {name: 'page-size', class: 'page-size'}, SIZES.map((s) => h('option', {value: s, selected: s === p.page_size}, s)));
  const summary = h('span', {class: 'summary'});
  const error = h('span', {class: 'filter-error'});
  const body = h('div', {class: 'list-body'});
  const el = h('div', {class: 'listing', id: id + '-list'},
    h('div', {class: 'list-controls'},
      h('label', null, 'Page ', pageSel, h('span', {class: 'page-count'})),
      h('label', null, 'Filter: ', filter),
      h('label', {class: 'check', title: 'Filter with a regular expression'}, regex, ' Regex'),
      error,
      h('span', {class: 'spacer'}),
      summary,
      h('label', null, 'Page size ', sizeSel)),
    body);

  let timer;
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      p.name = filter.value;
      p.page = 1;
      refresh();
    }, 250);
  });
  regex.addEventListener('change', () => {
    p.use_regex = regex.checked;
    p.page = 1;
    refresh();
  });
  pageSel.addEventListener('change', () => {
    p.page = Number(pageSel.value);
    refresh();
  });
  sizeSel.addEventListener('change', () => {
    p.page_size = Number(sizeSel.value);
    p.page = 1;
    refresh();
  });
  const sorting = {
    onSort(key) {
      if (p.sort === key) p.sort_reverse = !p.sort_reverse;
      else {
        p.sort = key;
        p.sort_reverse = false;
      }
      refresh();
    },
  };

  async function refresh() {
    p.save();
    const params = {page: p.page, page_size: p.page_size, sort: p.sort, sort_reverse: p.sort_reverse};
    if (p.name) {
      params.name = p.name;
      params.use_regex = p.use_regex;
    }
    if (fields) params.columns = fields.join(',');
    let r;
    try {
      r = await get(path(state.vhost), params);
      error.textContent = '';
    } catch (e) {
      if (e instanceof ApiError && e.error === 'page_out_of_range' && p.page !== 1) {
        p.page = 1;
        return refresh();
      }
      if (e instanceof ApiError && e.status === 400 && p.name) {
        error.textContent = e.reason;
        return;
      }
      throw e;
    }
    const page = Array.isArray(r) ? {items: r, page: 1, page_count: 1, filtered_count: r.length, total_count: r.length} : r;
    fill(pageSel, Array.from({length: Math.max(page.page_count, 1)}, (_, i) =>
      h('option', {value: i + 1, selected: i + 1 === page.page}, i + 1)));
    el.querySelector('.page-count').textContent = ` of ${Math.max(page.page_count, 1)}`;
    summary.textContent = page.filtered_count === page.total_count
      ? `${fmt.count(page.total_count)} item${page.total_count === 1 ? '' : 's'}`
      : `${fmt.count(page.filtered_count)} of ${fmt.count(page.total_count)} items`;
    sorting.key = p.sort;
    sorting.reverse = p.sort_reverse;
    fill(body, table(columns, page.items, {sorting, empty: p.name ? 'No item matches the filter' : empty}));
  }

  return {el, refresh};
}
