// Today: the ward board (GET /v1/board), refreshed on each event of the
// alert stream and every minute, for the due times.
import { api, follow } from './api.js';
import { el, clear, local, hhmm } from './dom.js';

let stop = null;
let timer = null;
let pending = null;
export let serverNow = null;	// the daemon's "now", for the other views

const $ = (id) => document.getElementById(id);

function riskCell(risk) {
  if (!risk) return el('td', { class: 'muted', text: 'none yet' });
  return el('td', { class: 'risk risk-' + risk.band },
    el('strong', { 'data-field': 'news2', text: String(risk.news2) }),
    ' ', risk.band, el('br'),
    el('span', { class: 'small', text: 'at ' + hhmm(risk.taken_at) }));
}

function obsCell(o) {
  const cls = o.state === 'overdue' ? 'overdue' : '';
  return el('td', { class: cls, 'data-field': 'observation' },
    o.state === 'overdue' ? el('strong', { text: o.words }) : o.words,
    o.due_at ? el('br') : null,
    o.due_at ? el('span', { class: 'small',
      text: 'due ' + hhmm(o.due_at) }) : null);
}

function doseCell(given, due, extra) {
  if (due === 0) return el('td', { class: 'muted', text: 'none' });
  return el('td', { 'data-given': given, 'data-due': due },
    given + ' of ' + due + ' given', extra ? el('br') : null,
    extra ? el('span', { class: 'small', text: extra }) : null);
}

function row(p) {
  const pt = p.patient;
  const d = p.doses;
  const a = p.alerts;
  return el('tr', { 'data-prison-number': pt.prison_number },
    el('th', { scope: 'row' }, pt.family_name + ', ' + pt.given_name,
      el('br'), el('span', { class: 'small', text: pt.prison_number })),
    el('td', { text: pt.location }),
    riskCell(p.risk),
    obsCell(p.observation),
    doseCell(d.round_given, d.round_due, null),
    doseCell(d.day_given, d.day_due, d.day_not_taken > 0 ?
      d.day_not_taken + ' not taken' : null),
    a.open === 0 ? el('td', { class: 'muted', text: 'none' }) :
      el('td', { class: 'alerts alerts-' + a.worst, 'data-open': a.open },
        a.open + ' open', el('br'),
        el('span', { class: 'small', text: 'worst: ' + a.worst })),
    p.court_at ? el('td', { class: 'court', text: 'Court, leaves ' +
      hhmm(p.court_at) }) : el('td', { class: 'muted', text: 'no' }));
}

function summary(rows) {
  const overdue = rows.filter((p) => p.observation.state === 'overdue')
    .length;
  const alerts = rows.reduce((n, p) => n + p.alerts.open, 0);
  const court = rows.filter((p) => p.court_at).length;
  return [
    el('p', { 'data-field': 'patients' }, el('strong',
      { text: String(rows.length) }), ' patients in custody'),
    el('p', { 'data-field': 'overdue', class: overdue ? 'overdue' : '' },
      el('strong', { text: String(overdue) }), ' observations overdue'),
    el('p', { 'data-field': 'alerts' }, el('strong',
      { text: String(alerts) }), ' open alerts'),
    el('p', { 'data-field': 'court' }, el('strong',
      { text: String(court) }), ' at court tomorrow'),
  ];
}

async function load() {
  const b = await api('/v1/board');
  serverNow = b.at;
  $('today-at').textContent = local(b.at);
  $('today-at').setAttribute('datetime', b.at);
  clear($('today-summary')).append(...summary(b.patients));
  const body = clear($('board-rows'));
  if (b.patients.length === 0)
    body.append(el('tr', {}, el('td', { colspan: 8,
      text: 'No patients in custody.' })));
  for (const p of b.patients) body.append(row(p));
  document.body.dataset.boardAt = b.at;
}

// Many events at once (a round) make one refresh.
function soon() {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    load().catch(() => {});
  }, 300);
}

export async function enter() {
  $('today-refresh').onclick = () => load().catch(() => {});
  await load();
  if (!stop)
    stop = follow('/v1/alerts/stream', () => soon(), (live) => {
      $('today-live').textContent = live ? 'Live: updates as alerts ' +
        'are raised and acknowledged.' : 'Not live: refresh by hand.';
    });
  if (!timer) timer = setInterval(soon, 60000);
}

export function leave() {
  if (stop) stop();
  stop = null;
  clearInterval(timer);
  timer = null;
}
