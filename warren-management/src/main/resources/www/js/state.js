// What the pages share: the logged-in user, the vhosts it sees and the vhost selected in the
// header ('' for all), kept for the tab like RabbitMQ's UI keeps it.

const VHOST_KEY = 'warren.vhost';

export const state = {
  user: null,
  vhosts: [],
  get vhost() {
    return sessionStorage.getItem(VHOST_KEY) || '';
  },
  set vhost(v) {
    if (v) sessionStorage.setItem(VHOST_KEY, v);
    else sessionStorage.removeItem(VHOST_KEY);
  },
  has(tag) {
    return !!this.user && this.user.tags.includes(tag);
  },
  get admin() {
    return this.has('administrator');
  },
  get monitor() {
    return this.admin || this.has('monitoring');
  },
  get policymaker() {
    return this.admin || this.has('policymaker');
  },
};

/** Per-list preferences (sort, page size, filter) for the tab. */
export function prefs(id, defaults) {
  const key = 'warren.list.' + id;
  let saved = {};
  try {
    saved = JSON.parse(sessionStorage.getItem(key) || '{}');
  } catch {
    saved = {};
  }
  const p = {...defaults, ...saved};
  p.save = () => {
    const {save, ...rest} = p;
    sessionStorage.setItem(key, JSON.stringify(rest));
  };
  return p;
}
