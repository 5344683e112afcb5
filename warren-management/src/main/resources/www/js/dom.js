// Building the page from elements (never from HTML strings): whatever the broker returns is text.

/**
 * h('a', {href: '#/x', class: 'button', onclick: fn}, 'text', child, [more children])
 * Attributes: class, text, html is refused; on* take functions; dataset via data-*; boolean
 * attributes with true/false; null and undefined are skipped. Children: strings, numbers, nodes,
 * arrays of them, null/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces the element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** A path segment as RabbitMQ's UI writes it in URLs: "/" becomes %2F. */
export const enc = (s) => encodeURIComponent(s);

/** A link to one of our pages. */
export function link(href, text, cls) {
  return h('a', {href, class: cls}, text);
}
