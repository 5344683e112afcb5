// Charts of the API's samples (?lengths_age=&lengths_incr=, ?msg_rates_age=&msg_rates_incr=),
// drawn by uPlot (its WebJar, served from the jar). Length samples are drawn as they are; rate
// samples are counters, drawn as the rate between two samples, as RabbitMQ's charts do.

import {h} from './dom.js';

let uplot;
function library() {
  if (!uplot) {
    const css = h('link', {rel: 'stylesheet', href: 'webjars/uplot/1.6.30/dist/uPlot.min.css'});
    document.head.append(css);
    uplot = import('../webjars/uplot/1.6.30/dist/uPlot.esm.js').then((m) => m.default);
  }
  return uplot;
}

/** The charts' time range (age and sample interval, seconds), chosen in the header, kept for the tab. */
export const RANGES = [[60, 5, 'Last minute'], [600, 10, 'Last ten minutes'], [3600, 60, 'Last hour'], [28800, 600, 'Last eight hours'], [86400, 1800, 'Last day']];
export const RANGE = {age: 600, incr: 10};
const saved = Number(sessionStorage.getItem('warren.chart-range'));
for (const [age, incr] of RANGES) {
  if (age === saved) {
    RANGE.age = age;
    RANGE.incr = incr;
  }
}

export function setRange(age) {
  for (const [a, incr] of RANGES) {
    if (a === age) {
      RANGE.age = a;
      RANGE.incr = incr;
      sessionStorage.setItem('warren.chart-range', String(a));
    }
  }
}

/** The query parameters that make the API return samples for the last RANGE.age seconds. */
export function sampleParams(kind = 'both') {
  const p = {};
  if (kind !== 'rates') {
    p.lengths_age = RANGE.age;
    p.lengths_incr = RANGE.incr;
  }
  if (kind !== 'lengths') {
    p.msg_rates_age = RANGE.age;
    p.msg_rates_incr = RANGE.incr;
  }
  return p;
}

const COLORS = ['#e8590c', '#1971c2', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c', '#5c940d', '#495057', '#7048e8', '#d6336c', '#66a80f', '#1098ad'];

/**
 * A chart of `series` ([[label, key]]) read from `stats` (an object whose KEY_details hold
 * samples); rates: true for counters. Returns {el, update(stats)}; a legend with the current
 * values stays beside it. Without samples the current values alone are shown.
 */
export function chart(title, series, {rates = false, format = String} = {}) {
  const plot = h('div', {class: 'chart-plot'});
  const legend = h('table', {class: 'chart-legend'});
  const el = h('div', {class: 'chart'}, h('h3', null, title), h('div', {class: 'chart-body'}, plot, legend));
  let u = null;
  let building = null;

  function current(stats, key) {
    if (!stats) return undefined;
    return rates ? stats[key + '_details']?.rate : stats[key];
  }

  function data(stats, present) {
    const first = stats?.[present[0][1] + '_details']?.samples;
    // a line needs two points: two lengths, or three counters (two rates between them)
    if (!first || first.length < (rates ? 3 : 2)) return null;
    // samples come newest first
    const xs = [];
    const cols = present.map(() => []);
    const n = rates ? first.length - 1 : first.length;
    for (let i = n - 1; i >= 0; i--) {
      xs.push(first[i].timestamp / 1000);
      present.forEach(([, key], j) => {
        const s = stats[key + '_details']?.samples;
        if (!s || !s[i]) return cols[j].push(null);
        if (!rates) return cols[j].push(s[i].sample);
        const dt = (s[i].timestamp - s[i + 1].timestamp) / 1000;
        cols[j].push(dt > 0 ? (s[i].sample - s[i + 1].sample) / dt : 0);
      });
    }
    return [xs, ...cols];
  }

  async function update(stats) {
    const present = series.filter(([, key]) => current(stats, key) !== undefined);
    legend.replaceChildren(...present.map(([label, key], i) => h('tr', null,
      h('td', null, h('span', {class: 'swatch', style: `background:${COLORS[i % COLORS.length]}`})),
      h('th', null, label), h('td', {class: 'r'}, format(current(stats, key))))));
    if (present.length === 0) {
      legend.replaceChildren(h('tr', null, h('td', {class: 'idle'}, rates ? 'Currently idle' : 'No figures yet')));
    }
    const d = data(stats, present);
    if (!d) {
      plot.classList.add('empty');
      return;
    }
    plot.classList.remove('empty');
    const key = present.map((s) => s[1]).join();
    if (u && u.key === key) {
      u.setData(d);
      return;
    }
    if (building) return;
    building = library();
    const UPlot = await building;
    building = null;
    if (u) u.destroy();
    const width = Math.max(plot.clientWidth || 0, 320);
    u = new UPlot({
      width, height: 160, legend: {show: false}, cursor: {drag: {x: false, y: false}},
      scales: {y: {range: (self, min, max) => [0, Math.max(max * 1.1, rates ? 1 : 5)]}},
      axes: [{stroke: '#666', grid: {stroke: '#eee'}}, {stroke: '#666', grid: {stroke: '#eee'}, size: 60, values: (s, ticks) => ticks.map((t) => format(t))}],
      series: [{}, ...present.map(([label], i) => ({label, stroke: COLORS[i % COLORS.length], width: 2, points: {show: false}}))],
    }, d, plot);
    u.key = key;
  }

  return {el, update};
}

/** The data_rates_age / data_rates_incr parameters of connections' byte-rate samples. */
export function dataRateParams() {
  return {data_rates_age: RANGE.age, data_rates_incr: RANGE.incr};
}

export const QUEUED = [['Ready', 'messages_ready'], ['Unacked', 'messages_unacknowledged'], ['Total', 'messages']];

export const RATES = [
  ['Publish', 'publish'], ['Publisher confirm', 'confirm'], ['Publish (In)', 'publish_in'], ['Publish (Out)', 'publish_out'],
  ['Deliver (manual ack)', 'deliver'], ['Deliver (auto ack)', 'deliver_no_ack'], ['Consumer ack', 'ack'],
  ['Redelivered', 'redeliver'], ['Get (manual ack)', 'get'], ['Get (auto ack)', 'get_no_ack'], ['Get (empty)', 'get_empty'],
  ['Unroutable (return)', 'return_unroutable'], ['Unroutable (drop)', 'drop_unroutable'],
];
