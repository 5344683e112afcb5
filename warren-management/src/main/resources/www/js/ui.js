// The page's building blocks: panels, fact tables, lists, forms, notices and confirmations.

import {h, append} from './dom.js';

/** A panel with a title that folds (RabbitMQ's sections); `id` lets tests and links find it. */
export function panel(title, id, ...content) {
  return h('details', {class: 'panel', open: true, id}, h('summary', null, h('h2', null, title)), ...content);
}

/** A table of name/value rows; values may be nodes. Rows whose value is undefined are left out. */
export function facts(rows) {
  return h('table', {class: 'facts'},
    h('tbody', null, rows.filter((r) => r && r[1] !== undefined).map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v)))));
}

/**
 * A list table. columns: [{label, value: item => node|string, cls, sort: 'api.key'}];
 * sorting: {key, reverse, onSort(key)} makes headers with a sort key clickable.
 */
export function table(columns, items, {empty = 'Nothing to show', sorting, rowClass} = {}) {
  const head = h('tr', null, columns.map((c) => {
    if (!sorting || !c.sort) return h('th', {class: c.cls}, c.label);
    const active = sorting.key === c.sort;
    return h('th', {class: ['sortable', c.cls, active && (sorting.reverse ? 'desc' : 'asc')]},
      h('a', {href: '', onclick: (e) => {
        e.preventDefault();
        sorting.onSort(c.sort);
      }}, c.label));
  }));
  const body = items.length === 0
    ? [h('tr', null, h('td', {colspan: columns.length, class: 'empty'}, empty))]
    : items.map((it) => h('tr', {class: rowClass ? rowClass(it) : null}, columns.map((c) => h('td', {class: c.cls}, c.value(it)))));
  return h('table', {class: 'list'}, h('thead', null, head), h('tbody', null, body));
}

/** Small labels (features, tags). */
export function badges(list) {
  return h('span', {class: 'badges'}, list.filter(Boolean).map(([text, title]) => h('abbr', {class: 'badge', title: title || text}, text)));
}

// Notices

let notices;
export function noticeArea(el) {
  notices = el;
}

/** A message at the top of the page; successes fade, errors stay until closed. */
export function notify(text, kind = 'ok') {
  if (!notices) return;
  const n = h('div', {class: ['notice', kind], role: kind === 'error' ? 'alert' : 'status'},
    h('span', null, text), h('button', {type: 'button', class: 'close', title: 'Close', onclick: () => n.remove()}, '×'));
  notices.append(n);
  if (kind === 'ok') setTimeout(() => n.remove(), 5000);
}

/** Removes the notices (of one kind: 'error' when the user moves on, so that a success stays). */
export function clearNotices(kind) {
  if (!notices) return;
  if (kind) notices.querySelectorAll('.notice.' + kind).forEach((n) => n.remove());
  else notices.replaceChildren();
}

/** Runs an API action, telling the user how it went; returns true on success. */
export async function act(fn, success) {
  try {
    const r = await fn();
    if (success) notify(typeof success === 'function' ? success(r) : success);
    return true;
  } catch (e) {
    notify(e.reason || e.message || String(e), 'error');
    return false;
  }
}

/** An in-page confirmation; resolves to true when the user confirms. */
export function confirm(text, yes = 'Yes') {
  return new Promise((resolve) => {
    const d = h('dialog', {class: 'confirm'},
      h('p', null, text),
      h('div', {class: 'buttons'},
        h('button', {type: 'button', class: 'secondary', onclick: () => close(false)}, 'Cancel'),
        h('button', {type: 'button', class: 'danger', onclick: () => close(true)}, yes)));
    function close(v) {
      d.close();
      d.remove();
      resolve(v);
    }
    d.addEventListener('cancel', () => resolve(false));
    document.body.append(d);
    d.showModal();
  });
}

// Forms

/**
 * A form of labelled fields. fields: [{name, label, type, options: [[value, text]], value,
 * required, placeholder, help, element}] (element: a ready-made control such as argsEditor()).
 * onSubmit(values, form) may return a promise; the button is disabled meanwhile.
 */
export function form(fields, submit, onSubmit, {id, cls} = {}) {
  const controls = {};
  const rows = fields.map((f) => {
    const c = f.element || control(f);
    controls[f.name] = c;
    return h('div', {class: ['field', f.type === 'checkbox' && 'check']},
      h('label', {for: c.id || null}, f.label),
      h('div', {class: 'control'}, c, f.help ? h('small', {class: 'help'}, f.help) : null));
  });
  const button = h('button', {type: 'submit'}, submit);
  const el = h('form', {class: ['form', cls], id, autocomplete: 'off'}, rows, h('div', {class: 'actions'}, button));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = {};
    for (const [k, c] of Object.entries(controls)) values[k] = valueOf(c);
    button.disabled = true;
    try {
      await onSubmit(values, el);
    } finally {
      button.disabled = false;
    }
  });
  el.controls = controls;
  return el;
}

let seq = 0;
function control(f) {
  const id = 'f' + ++seq;
  const common = {id, name: f.name, required: f.required, placeholder: f.placeholder};
  switch (f.type) {
    case 'select':
      return h('select', common, f.options.map(([v, t]) => h('option', {value: v, selected: String(f.value) === String(v)}, t)));
    case 'checkbox':
      return h('input', {...common, type: 'checkbox', checked: f.value});
    case 'textarea':
      return h('textarea', {...common, rows: f.rows || 4}, f.value || '');
    case 'file':
      return h('input', {...common, type: 'file', accept: f.accept});
    default: {
      const i = h('input', {...common, type: f.type || 'text', value: f.value ?? '', list: f.list, min: f.min});
      return i;
    }
  }
}

function valueOf(c) {
  if (typeof c.value === 'function') return c.value();
  if (c.type === 'checkbox') return c.checked;
  if (c.type === 'file') return c.files && c.files[0];
  return c.value;
}

/** Clears a form's text inputs after a successful add. */
export function reset(formEl) {
  formEl.reset();
  for (const c of Object.values(formEl.controls)) if (typeof c.clear === 'function') c.clear();
}

/**
 * Key / value / type rows for arguments, headers and policy definitions, RabbitMQ's way:
 * values typed String, Number, Boolean or List; a blank last row is always there. suggestions:
 * [[key, type, hint]] shown as links that add the key.
 */
export function argsEditor(suggestions = [], {types = ['string', 'number', 'boolean', 'list']} = {}) {
  const rows = h('div', {class: 'args-rows'});
  const el = h('div', {class: 'args'}, rows);
  function addRow(key = '', val = '', type = 'string') {
    const k = h('input', {class: 'arg-key', placeholder: 'key', value: key});
    const v = h('input', {class: 'arg-value', placeholder: 'value', value: val});
    const t = h('select', {class: 'arg-type'}, types.map((x) => h('option', {value: x, selected: x === type}, x[0].toUpperCase() + x.slice(1))));
    const row = h('div', {class: 'arg-row'}, k, h('span', null, '='), v, t);
    const grow = () => {
      if (row === rows.lastElementChild && (k.value || v.value)) addRow();
    };
    // a known key gets its type (x-max-length is a number), as the suggestion links give it
    k.addEventListener('input', () => {
      const known = suggestions.find(([name]) => name === k.value);
      if (known) t.value = known[1];
    });
    k.addEventListener('input', grow);
    v.addEventListener('input', grow);
    rows.append(row);
    return row;
  }
  addRow();
  if (suggestions.length) {
    append(el, h('div', {class: 'suggest'}, h('span', null, 'Add '), suggestions.map(([key, type, hint]) =>
      h('button', {type: 'button', class: 'link', title: hint || key, onclick: () => {
        const last = rows.lastElementChild;
        const [k, , t] = last.children;
        if (k.value) {
          addRow(key, '', type);
        } else {
          k.value = key;
          t.value = type;
          addRow();
        }
      }}, key))));
  }
  el.value = () => {
    const out = {};
    for (const row of rows.children) {
      const [k, , v, t] = row.children;
      if (!k.value) continue;
      out[k.value] = typed(v.value, t.value);
    }
    return out;
  };
  el.clear = () => {
    rows.replaceChildren();
    addRow();
  };
  return el;
}

function typed(v, type) {
  switch (type) {
    case 'number': {
      const n = Number(v);
      return Number.isNaN(n) ? v : n;
    }
    case 'boolean':
      return v === 'true' || v === 'yes' || v === '1';
    case 'list':
      return v.split(',').map((x) => x.trim()).filter(Boolean);
    default:
      return v;
  }
}

/** A page's heading with the vhost in small print, as RabbitMQ's UI shows it. */
export function heading(kind, name, vhost) {
  return h('h1', null, kind + ' ', h('b', {class: 'name'}, name === '' ? '(AMQP default)' : name),
    vhost !== undefined ? h('span', {class: 'in-vhost'}, ' in virtual host ', h('b', null, vhost)) : null);
}

/** The D / AD / Excl / I / Args marks of a queue or exchange, with the policy, as RabbitMQ shows them. */
export function features(x) {
  const args = x.arguments || {};
  const keys = Object.keys(args).filter((k) => k !== 'x-queue-type');
  return h('span', {class: 'features'},
    badges([x.durable && ['D', 'durable'], x.auto_delete && ['AD', 'auto-delete'], x.exclusive && ['Excl', 'exclusive'],
      x.internal && ['I', 'internal'], keys.length && ['Args', keys.map((k) => `${k}: ${JSON.stringify(args[k])}`).join('\n')]]),
    x.policy ? h('a', {class: 'policy', href: '#/policies', title: 'Policy'}, x.policy) : null,
    x.operator_policy ? h('span', {class: 'policy operator', title: 'Operator policy'}, x.operator_policy) : null);
}

/** The vhost choice of an "add" form: the vhost selected in the header first. */
export function vhostOptions(vhosts, selected) {
  return {type: 'select', value: selected || (vhosts[0] && vhosts[0].name), options: vhosts.map((v) => [v.name, v.name])};
}
