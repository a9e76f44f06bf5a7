// Compliance: each report for a date range as a chart (Chart.js) with
// the same numbers in a table beside it, drill-down to the patients'
// rows of a day, and the report as CSV.  The reports' series are found
// by name (days, months, rounds, severities), so a report's columns are
// shown as the daemon sends them.
import { api, download, ApiError } from './api.js';
import { el, clear, dateFrom } from './dom.js';
import { serverNow } from './today.js';

const $ = (id) => document.getElementById(id);

// What each part shows: the report, its series, the measure charted.
export const parts = [
  { id: 'obs', title: 'Observations on time, per day',
    path: '/v1/reports/observations', series: 'days', key: 'date',
    measure: ['on_time_percent'], unit: '% on time' },
  { id: 'doses', title: 'Dose-round completion, per day',
    path: '/v1/reports/doses', series: 'days', key: 'date',
    measure: ['given_percent', 'completed_percent', 'on_time_percent'],
    unit: '% given' },
  { id: 'clocks', title: 'Continuity-clock breaches, per month',
    path: '/v1/reports/clocks', series: 'kinds', each: 'months',
    key: 'month', measure: ['breached', 'breaches'], unit: 'breached' },
  { id: 'alerts', title: 'Alert acknowledgement times',
    path: '/v1/reports/alerts', series: 'severities', key: 'severity',
    measure: ['ack_minutes_median', 'ack_minutes_p50'],
    unit: 'minutes to acknowledge (median)' },
];

const charts = new Map();

// The series of a report: an array of flat rows (part.each: the rows
// of each item of the series, such as each clock kind's months).
export function seriesOf(report, part) {
  const s = Array.isArray(report[part.series]) ? report[part.series] : [];
  return part.each ? s.flatMap((x) => x[part.each] || []) : s;
}

// A row's label in the chart: its key, and its kind if it has one.
function labelOf(r, part) {
  return cell(r[part.key]) + (r.kind ? ' ' + r.kind.replace(/_/g, ' ') :
    '');
}

// The scalar columns of a series, in the daemon's order.
function columnsOf(rows) {
  const cols = [];
  for (const r of rows)
    for (const [k, v] of Object.entries(r))
      if ((v === null || typeof v !== 'object') && !cols.includes(k))
        cols.push(k);
  return cols;
}

function measureOf(rows, part) {
  const cols = columnsOf(rows);
  return part.measure.find((m) => cols.includes(m)) ||
    cols.find((c) => c !== part.key && rows.some((r) =>
      typeof r[c] === 'number'));
}

function label(col) {
  return col.replace(/_/g, ' ');
}

function cell(v) {
  return v === null || v === undefined ? '' : String(v);
}

function table(part, rows, all, onPick) {
  // The key (a date, a month) heads each row.
  const cols = [part.key, ...all.filter((c) => c !== part.key)];
  return el('table', { class: 'figures', id: 'table-' + part.id },
    el('caption', { text: part.title + ': the figures' }),
    el('thead', {}, el('tr', {}, cols.map((c) =>
      el('th', { scope: 'col', text: label(c) })),
      onPick ? el('th', { scope: 'col', text: 'rows' }) : null)),
    el('tbody', {}, rows.map((r) => el('tr',
      { 'data-key': cell(r[part.key]) },
      cols.map((c, i) => i === 0 ? el('th', { scope: 'row',
        text: cell(r[c]) }) : el('td', { 'data-col': c, text: cell(r[c]) })),
      onPick ? el('td', {}, el('button', { type: 'button',
        class: 'link', onclick: () => onPick(r[part.key]),
        'aria-label': 'Rows of ' + cell(r[part.key]) },
        'Show')) : null))));
}

function chart(part, rows, measure) {
  const canvas = el('canvas', { id: 'chart-' + part.id, role: 'img',
    'aria-label': part.title + ' (the same figures are in the table)' });
  const box = el('div', { class: 'chart' }, canvas);
  if (typeof Chart === 'undefined' || !measure) return box;
  if (charts.has(part.id)) charts.get(part.id).destroy();
  // eslint-disable-next-line no-undef
  charts.set(part.id, new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => labelOf(r, part)),
      datasets: [{ label: part.unit, data: rows.map((r) => r[measure]),
        backgroundColor: '#1d5a8a' }],
    },
    options: { animation: false, responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true } } },
  }));
  return box;
}

// The patients' rows of one day (reports with patients[].days).
function drill(part, report, key, where) {
  const rows = [];
  for (const p of report.patients || [])
    for (const d of p.days || [])
      if (d[part.key] === key)
        rows.push(Object.assign({ patient: p.patient.prison_number,
          name: p.patient.family_name + ', ' + p.patient.given_name }, d));
  const cols = columnsOf(rows);
  clear(where).append(
    el('h4', { tabindex: '-1', text: 'Rows of ' + key }),
    rows.length === 0 ? el('p', { text: 'No rows on ' + key + '.' }) :
      table({ id: part.id + '-rows', title: part.title + ', ' + key,
        key: 'patient' }, rows, cols, null));
  where.querySelector('h4').focus();
}

async function csv(part, from, to) {
  const blob = await api(part.path + '?from=' + from + '&to=' + to,
    { accept: 'text/csv' });
  download(blob, part.id + '-' + from + '-' + to + '.csv');
}

async function show(part, from, to, into) {
  const box = el('section', { class: 'part', id: 'part-' + part.id,
    'aria-labelledby': 'h-' + part.id },
  el('h3', { id: 'h-' + part.id, text: part.title }));
  into.append(box);
  let report;
  try {
    report = await api(part.path + '?from=' + from + '&to=' + to);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      box.append(el('p', { class: 'muted',
        text: 'This report is not served by this daemon yet.' }));
      return;
    }
    throw e;
  }
  const rows = seriesOf(report, part);
  const cols = columnsOf(rows);
  const measure = measureOf(rows, part);
  const rowsBox = el('div', { class: 'drill', 'aria-live': 'polite' });
  const pick = report.patients ? (k) => drill(part, report, k, rowsBox) :
    null;
  box.append(
    el('div', { class: 'side' }, chart(part, rows, measure),
      el('div', { class: 'scroll' }, table(part, rows, cols, pick))),
    el('p', {}, el('button', { type: 'button', class: 'csv',
      onclick: () => csv(part, from, to).catch((e) =>
        box.append(el('p', { class: 'error', text: e.message }))) },
    'Download CSV')),
    rowsBox);
}

export async function enter(say) {
  const form = $('range-form');
  if (!$('from').value) {
    const base = serverNow ? new Date(serverNow) : new Date();
    $('from').value = dateFrom(-13, base);
    $('to').value = dateFrom(0, base);
  }
  form.onsubmit = (ev) => {
    ev.preventDefault();
    render(say).catch((e) => say('Could not load: ' + e.message));
  };
  await render(say);
}

async function render(say) {
  const from = $('from').value;
  const to = $('to').value;
  if (!from || !to || to < from) {
    say('Give a from date on or before the to date.');
    return;
  }
  const into = clear($('compliance-parts'));
  for (const part of parts) await show(part, from, to, into);
  document.body.dataset.compliance = from + '/' + to;
}

export function leave() {
  for (const c of charts.values()) c.destroy();
  charts.clear();
}
