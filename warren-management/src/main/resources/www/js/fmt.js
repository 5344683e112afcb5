// How figures read: counts with thousands separators, rates per second, bytes, durations.

const num = new Intl.NumberFormat('en-US');

export function count(n) {
  if (n === undefined || n === null || n === '') return '';
  return typeof n === 'number' ? num.format(n) : String(n);
}

export function rate(r) {
  if (r === undefined || r === null) return '';
  if (r === 0) return '0.00/s';
  return (r >= 100 ? num.format(Math.round(r)) : r.toFixed(2)) + '/s';
}

/** The rate of a message_stats key (publish, deliver_get, ...), or '' when the broker has none. */
export function statRate(stats, key) {
  const d = stats && stats[key + '_details'];
  return d ? rate(d.rate) : '';
}

export function bytes(b) {
  if (b === undefined || b === null || typeof b !== 'number') return b === undefined || b === null ? '' : String(b);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = b;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v.toFixed(v >= 100 ? 0 : 1)) + ' ' + units[i];
}

export function byteRate(r) {
  return r === undefined || r === null ? '' : bytes(Math.round(r)) + '/s';
}

/** Milliseconds of uptime as "3d 4h", "12m 5s". */
export function uptime(ms) {
  if (typeof ms !== 'number') return '';
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const hh = Math.floor(s / 3600);
  s -= hh * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${hh}h`;
  if (hh > 0) return `${hh}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

export function time(ms) {
  if (typeof ms !== 'number') return ms ? String(ms) : '';
  const d = new Date(ms);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function bool(b) {
  return b === true ? 'yes' : b === false ? 'no' : '';
}

/** A short text of an object (arguments, properties, policy definitions). */
export function short(v) {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'object') return String(v);
  return Object.entries(v).map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : x}`).join(', ');
}
