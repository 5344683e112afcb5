// The management API as the UI uses it: basic credentials kept for the browser tab
// (sessionStorage), sent as Authorization on every call; RabbitMQ's error bodies become ApiError.

const KEY = 'warren.auth';

export class ApiError extends Error {
  constructor(status, error, reason) {
    super(reason || error || `HTTP ${status}`);
    this.status = status;
    this.error = error;
    this.reason = reason;
  }
  /** The credentials themselves were refused (RabbitMQ's not_authorized "Not_Authorized"). */
  get loginRefused() {
    return this.status === 401 && this.error === 'not_authorized';
  }
}

function utf8Base64(s) {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

export const auth = {
  get header() {
    return sessionStorage.getItem(KEY);
  },
  set(user, password) {
    sessionStorage.setItem(KEY, 'Basic ' + utf8Base64(`${user}:${password}`));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/** Called when the credentials stop working mid-session (password changed, user deleted). */
let onLoginRefused = () => {};
export function whenLoginRefused(fn) {
  onLoginRefused = fn;
}

/** Query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * One call. `body` is sent as JSON unless it is FormData; options.headers adds headers;
 * options.raw returns the Response itself (downloads).
 */
export async function call(method, path, body, options = {}) {
  const headers = {...(options.headers || {})};
  const a = auth.header;
  if (a) headers.authorization = a;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const r = await fetch('api' + path, {method, headers, body: payload, cache: 'no-store'});
  if (!r.ok) {
    let error = null;
    let reason = null;
    try {
      const j = await r.json();
      error = typeof j.error === 'string' ? j.error : JSON.stringify(j.error);
      reason = typeof j.reason === 'string' ? j.reason : JSON.stringify(j.reason);
    } catch {
      reason = r.statusText;
    }
    const e = new ApiError(r.status, error, reason);
    if (e.loginRefused && !options.login) onLoginRefused(e);
    throw e;
  }
  if (options.raw) return r;
  if (r.status === 204 || r.headers.get('content-length') === '0') return null;
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, params, options) => call('GET', path + query(params), undefined, options);
export const put = (path, body) => call('PUT', path, body ?? {});
export const post = (path, body) => call('POST', path, body ?? {});
export const del = (path, params, headers) => call('DELETE', path + query(params), undefined, {headers});
