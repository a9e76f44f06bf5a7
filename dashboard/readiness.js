// Readiness (issue 20): the IDTS toolkit's 35 sections as the daemon
// keeps them (GET /v1/readiness), the go-live and commissioning verdicts
// with what blocks each, and the counts; and the history of statuses over
// time (GET /v1/readiness/history), newest first.  Read only: a section's
// status is a person's judgement, set with idtsctl readiness set.
import { api } from './api.js';
import { el, clear, local } from './dom.js';

const $ = (id) => document.getElementById(id);

function status(s) {
  return s === null ? 'none (counts as red)' : s;
}

function verdict(name, v) {
  return el('section', { class: 'verdict', 'data-verdict': name },
    el('h3', {}, name + ': ', el('strong', {
      class: v.ready ? 'ready' : 'overdue',
      text: v.ready ? 'ready' : 'not ready' })),
    v.blocking.length === 0 ? null : el('ul', {}, v.blocking.map((b) =>
      el('li', {}, 'Section ' + b.number + ', ' + b.heading + ': ' +
        status(b.status) + ', needs ' + b.minimum))));
}

function row(s) {
  return el('tr', { 'data-number': s.number },
    el('th', { scope: 'row', text: String(s.number) }),
    el('td', { text: s.heading }),
    el('td', { text: s.group }),
    el('td', { class: 'status-' + (s.status || 'none'),
      'data-col': 'status', text: status(s.status) }),
    el('td', { text: s.minimum }),
    el('td', { text: s.owner ? s.owner.display_name : '' }),
    el('td', { text: s.target_date || '' }),
    el('td', { text: s.evidence || '' }),
    el('td', { class: 'small', text: s.updated_at ?
      local(s.updated_at) + (s.updated_by ? ', ' +
        s.updated_by.display_name : '') : '' }));
}

function change(c) {
  return el('tr', { 'data-number': c.number },
    el('td', { class: 'small', text: local(c.changed_at) }),
    el('th', { scope: 'row', text: String(c.number) }),
    el('td', { text: c.heading }),
    el('td', { class: 'status-' + c.status, 'data-col': 'status',
      text: c.status }),
    el('td', { text: c.changed_by ? c.changed_by.display_name : '' }),
    el('td', { text: c.evidence }));
}

function history(changes) {
  return el('div', { class: 'scroll' }, el('table', { class: 'figures',
    id: 'table-readiness-history' },
  el('caption', { text: 'Every status recorded, newest first' }),
  el('thead', {}, el('tr', {}, ['when', 'section', 'heading', 'status',
    'by', 'evidence'].map((h) => el('th', { scope: 'col', text: h })))),
  el('tbody', {}, changes.slice().reverse().map(change))));
}

export async function enter() {
  const r = await api('/v1/readiness');
  const changes = await api('/v1/readiness/history');
  const box = clear($('readiness'));
  box.append(
    el('p', { 'data-field': 'counts' },
      el('strong', { text: String(r.green) }), ' green, ',
      el('strong', { text: String(r.amber) }), ' amber, ',
      el('strong', { text: String(r.red) }), ' red or not yet judged ' +
      '(live evidence ' + r.period.from + ' to ' + r.period.to + ')'),
    verdict('Going live', r.go_live),
    verdict('Commissioning', r.commissioning),
    el('div', { class: 'scroll' }, el('table', { class: 'figures',
      id: 'table-readiness' },
    el('caption', { text: 'The toolkit\'s sections' }),
    el('thead', {}, el('tr', {}, ['section', 'heading', 'group', 'status',
      'going live needs', 'owner', 'target date', 'evidence', 'updated']
      .map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, r.sections.map(row)))),
    history(changes));
  document.body.dataset.readiness = String(r.sections.length);
}
