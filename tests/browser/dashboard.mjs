// The managers' dashboard in a real browser (t_dashboard.sh runs it):
// headless Chromium driven by puppeteer-core signs in as the DEMO
// manager, opens each view, checks that the figures shown are the API's
// (read here with a session of its own), downloads a CSV and compares it
// with the API's, is refused as a nurse, and fails on any console error,
// page error, failed request or Content-Security-Policy violation.
// Screenshots (PNG, 1366x768) and the pack printed on A4 (PDF) go to OUT.
//
//   node dashboard.mjs BASE OUT
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const puppeteer = require('puppeteer-core');

const [base, out] = process.argv.slice(2);
const problems = [];
const notes = [];
let checks = 0;

// A report another issue's helper has not landed yet: said, not failed.
function notYet(url, status) {
  return status === 404 && /\/v1\/reports\/(doses|clocks|alerts|governance)/
    .test(url);
}

function check(ok, words) {
  checks++;
  if (!ok) throw new Error(words);
}

async function apiAs(token, p, accept = 'application/json') {
  const res = await fetch(base + p, { headers: {
    Authorization: 'Bearer ' + token, Accept: accept } });
  if (!res.ok) throw new Error(p + ': ' + res.status);
  return accept === 'application/json' ? res.json() : res.text();
}

async function session(username, pin) {
  const res = await fetch(base + '/v1/sessions', { method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, pin }) });
  check(res.status === 201, 'sign in ' + username + ': ' + res.status);
  return (await res.json()).token;
}

// Every console error, page error, failed request and CSP violation.
async function watch(page) {
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' ' +
        e.blockedURI);
    });
  });
  page.on('console', (m) => {
    if (notYet(m.location().url || '', 404) &&
      /status of 404/.test(m.text()))
      return;
    if (m.type() === 'error' || m.type() === 'warning' ||
      /Content.Security.Policy/i.test(m.text()))
      problems.push('console ' + m.type() + ': ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('requestfailed', (r) => {
    // The alert stream is aborted on purpose when the page signs out.
    if (!r.url().endsWith('/v1/alerts/stream'))
      problems.push('request failed: ' + r.url() + ' ' +
        (r.failure() && r.failure().errorText));
  });
  page.on('response', (r) => {
    if (notYet(r.url(), r.status()))
      notes.push('not served yet: ' + r.url());
    else if (r.status() >= 400)
      problems.push('HTTP ' + r.status() + ': ' + r.url());
  });
}

async function signIn(page, username, pin) {
  await page.goto(base + '/', { waitUntil: 'load' });
  const focused = await page.evaluate(() => document.activeElement.id);
  check(focused === 'username', 'the username field has not the focus: ' +
    focused);
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.id) === 'pin',
    'Tab does not reach the PIN field');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}

// The view fits a 1366-pixel office screen: nothing scrolls sideways.
async function fits(page, view) {
  const width = await page.evaluate(() =>
    document.documentElement.scrollWidth);
  check(width <= 1366, view + ' is ' + width + ' pixels wide');
}

function text(page, sel) {
  return page.$eval(sel, (e) => e.textContent.trim());
}

async function today(page, token) {
  await page.waitForSelector('body[data-ready="today"]');
  const board = await apiAs(token, '/v1/board');
  const shown = await page.$$eval('#board-rows tr', (rows) => rows.map(
    (r) => ({
      number: r.dataset.prisonNumber,
      news2: r.querySelector('[data-field="news2"]') ?
        Number(r.querySelector('[data-field="news2"]').textContent) : null,
      obs: r.querySelector('[data-field="observation"]').textContent,
      overdue: r.querySelector('[data-field="observation"]').classList
        .contains('overdue'),
      cells: [...r.children].map((c) => c.textContent.trim()),
    })));
  check(shown.length === board.patients.length, 'the board shows ' +
    shown.length + ' rows, the API has ' + board.patients.length);
  board.patients.forEach((p, i) => {
    const s = shown[i];
    const d = p.doses;
    check(s.number === p.patient.prison_number, 'row ' + i + ' is ' +
      s.number + ', the API says ' + p.patient.prison_number);
    check(s.news2 === (p.risk ? p.risk.news2 : null), s.number +
      ': NEWS2 shown ' + s.news2 + ', the API says ' +
      (p.risk && p.risk.news2));
    check(s.obs.startsWith(p.observation.words), s.number +
      ': observation shown "' + s.obs + '", the API says "' +
      p.observation.words + '"');
    check(s.overdue === (p.observation.state === 'overdue'), s.number +
      ': overdue shown ' + s.overdue);
    check(s.cells[5] === (d.day_due === 0 ? 'none' : d.day_given +
      ' of ' + d.day_due + ' given' + (d.day_not_taken ?
        d.day_not_taken + ' not taken' : '')), s.number +
      ': doses today shown "' + s.cells[5] + '"');
    check(s.cells[6] === (p.alerts.open === 0 ? 'none' : p.alerts.open +
      ' openworst: ' + p.alerts.worst), s.number + ': alerts shown "' +
      s.cells[6] + '"');
    check((s.cells[7] === 'no') === (p.court_at === null), s.number +
      ': court shown "' + s.cells[7] + '"');
  });
  const overdue = board.patients.filter((p) =>
    p.observation.state === 'overdue').length;
  check(await text(page, '[data-field="overdue"] strong') ===
    String(overdue), 'the overdue count is not ' + overdue);
  // Red is not the only sign: the words say "overdue".
  if (overdue > 0)
    check(/overdue by/.test(await text(page, 'td.overdue')),
      'an overdue cell does not say so in words');
  const red = await page.$eval('td.overdue', (e) =>
    getComputedStyle(e).color).catch(() => null);
  if (overdue > 0)
    check(red === 'rgb(176, 0, 32)', 'the overdue cell is not red: ' + red);
  await live(page, token, board);
  await fits(page, 'today');
  await page.screenshot({ path: path.join(out, 'today.png'),
    fullPage: false });
  return board;
}

// The compliance view's reports, as dashboard/compliance.js reads them.
const PARTS = [
  { id: 'obs', path: '/v1/reports/observations', series: 'days',
    key: 'date' },
  { id: 'doses', path: '/v1/reports/doses', series: 'days', key: 'date' },
  { id: 'clocks', path: '/v1/reports/clocks', series: 'kinds',
    each: 'months', key: 'month' },
  { id: 'alerts', path: '/v1/reports/alerts', series: 'severities',
    key: 'severity' },
];

// Live: a nurse records a NEWS2 of 7 for the last patient on the board;
// the alerts it raises come down the stream and the page shows the new
// score without being reloaded (its own timer is a minute).
async function live(page, token, board) {
  const p = board.patients[board.patients.length - 1].patient;
  const nurse = await session('nina', '2222');
  const at = new Date(Date.parse(board.at) - 60000).toISOString()
    .replace(/\.\d+Z$/, 'Z');
  const res = await fetch(base + '/v1/observations', { method: 'POST',
    headers: { Authorization: 'Bearer ' + nurse,
      'Content-Type': 'application/json' },
    body: JSON.stringify({ patient_id: p.id, taken_at: at,
      respiratory_rate: 25, spo2: 93, spo2_scale: 1, on_oxygen: false,
      systolic_bp: 120, pulse: 115, consciousness: 'A',
      temperature: 37.0 }) });
  check(res.status === 201, 'the nurse\'s observation: ' + res.status);
  const score = (await res.json()).news2.total;
  const sel = 'tr[data-prison-number="' + p.prison_number +
    '"] [data-field="news2"]';
  await page.waitForFunction((q, want) => {
    const e = document.querySelector(q);
    return e !== null && e.textContent === String(want);
  }, { timeout: 10000 }, sel, score).catch(() => {});
  check(await page.$eval(sel, (e) => e.textContent).catch(() => null) ===
    String(score), 'the board did not show the new NEWS2 of ' + score +
    ' from the alert stream');
  const after = await apiAs(token, '/v1/board');
  const row = after.patients.find((x) => x.patient.id === p.id);
  check(row.risk.news2 === score && row.alerts.open >
    board.patients[board.patients.length - 1].alerts.open,
  'the API has not the new score and its alerts');
}

async function compliance(page, token, cdp) {
  await page.click('a[data-view="compliance"]');
  await page.waitForSelector('body[data-compliance]');
  const range = await page.$eval('body', (b) => b.dataset.compliance);
  const [from, to] = range.split('/');
  const rep = await apiAs(token, '/v1/reports/observations?from=' + from +
    '&to=' + to);
  // Every report's table, every cell, against the API's rows.
  for (const part of PARTS) {
    const res = await fetch(base + part.path + '?from=' + from + '&to=' +
      to, { headers: { Authorization: 'Bearer ' + token } });
    if (res.status === 404) {
      notes.push('not served yet: ' + part.path);
      continue;
    }
    const json = await res.json();
    const want = part.each ? json[part.series].flatMap((x) => x[part.each])
      : json[part.series];
    const shown = await page.$$eval('#table-' + part.id + ' tbody tr',
      (trs) => trs.map((r) => Object.fromEntries(
        [...r.querySelectorAll('td[data-col]')].map((c) =>
          [c.dataset.col, c.textContent]))));
    check(shown.length === want.length, part.id + ': the table has ' +
      shown.length + ' rows, the API ' + want.length);
    want.forEach((w, i) => {
      for (const [col, v] of Object.entries(w)) {
        if (col === part.key || (v !== null && typeof v === 'object'))
          continue;
        check(shown[i][col] === (v === null ? '' : String(v)), part.id +
          ' row ' + i + ' ' + col + ': shown "' + shown[i][col] +
          '", the API says ' + v);
      }
    });
  }
  const drawn = await page.$eval('#chart-obs', (c) => c.width > 0 &&
    typeof Chart !== 'undefined' && Chart.getChart(c) !== undefined);
  check(drawn, 'the observation chart was not drawn');
  // Drill down to the patients' rows of the busiest day.
  const busy = rep.days.reduce((a, d) => d.due + d.pending >
    a.due + a.pending ? d : a, rep.days[0]);
  await page.click('#table-obs tr[data-key="' + busy.date + '"] button');
  await page.waitForSelector('#table-obs-rows');
  const drill = await page.$$eval('#table-obs-rows tbody tr', (t) =>
    t.length);
  const want = rep.patients.filter((p) => p.days.some((d) =>
    d.date === busy.date)).length;
  check(drill === want, 'drill-down of ' + busy.date + ' shows ' + drill +
    ' rows, the API ' + want);
  // The CSV, downloaded as a manager would, byte for byte the API's.
  const dir = path.join(out, 'downloads');
  fs.mkdirSync(dir, { recursive: true });
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow',
    downloadPath: dir });
  await page.click('#part-obs button.csv');
  const file = path.join(dir, 'obs-' + from + '-' + to + '.csv');
  for (let i = 0; i < 50 && !fs.existsSync(file); i++)
    await new Promise((r) => setTimeout(r, 100));
  check(fs.existsSync(file), 'no CSV downloaded');
  const csv = await apiAs(token, '/v1/reports/observations?from=' + from +
    '&to=' + to, 'text/csv');
  check(fs.readFileSync(file, 'utf8') === csv,
    'the downloaded CSV is not the API\'s');
  await fits(page, 'compliance');
  await page.screenshot({ path: path.join(out, 'compliance.png'),
    fullPage: true });
}

async function governance(page, token) {
  await page.click('a[data-view="governance"]');
  await page.waitForSelector('body[data-pack]');
  const month = await page.$eval('body', (b) => b.dataset.pack);
  const res = await fetch(base + '/v1/reports/governance?month=' + month,
    { headers: { Authorization: 'Bearer ' + token, Accept: 'text/html' } });
  if (res.status === 200) {
    // Every cell of the daemon's pack, in order, is on the page.
    const want = [...(await res.text()).matchAll(/<td[^>]*>([^<]*)</g)]
      .map((m) => m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>').replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"));
    const shown = await page.$$eval('#pack td', (tds) =>
      tds.map((td) => td.childNodes.length && td.firstChild.nodeType === 3 ?
        td.firstChild.textContent : ''));
    check(shown.length === want.length && shown.every((t, i) =>
      t === want[i]), 'the pack shown is not the daemon\'s: ' +
      shown.length + ' cells, the API ' + want.length);
  } else
    notes.push('not served yet: /v1/reports/governance');
  const pack = await page.$eval('#pack', (p) => ({
    text: p.textContent.trim().length,
    scripts: p.querySelectorAll('script, style, link').length +
      [...p.querySelectorAll('*')].filter((e) => [...e.attributes]
        .some((a) => a.name.startsWith('on'))).length }));
  check(pack.text > 0, 'the governance view is empty');
  check(pack.scripts === 0, 'the pack brought a script, a style sheet ' +
    'or an inline handler');
  await fits(page, 'governance');
  await page.screenshot({ path: path.join(out, 'governance.png'),
    fullPage: true });
  await page.emulateMediaType('print');
  const hidden = await page.$eval('nav', (n) =>
    getComputedStyle(n).display);
  check(hidden === 'none', 'the print stylesheet shows the navigation');
  await page.pdf({ path: path.join(out, 'governance-a4.pdf'),
    format: 'A4' });
  await page.emulateMediaType(null);
}

// Readiness: each section's status and the counts as the API has them.
async function readiness(page, token) {
  await page.click('a[data-view="readiness"]');
  await page.waitForSelector('body[data-readiness]');
  const r = await apiAs(token, '/v1/readiness');
  const shown = await page.$$eval('#table-readiness tbody tr', (trs) =>
    trs.map((t) => [Number(t.dataset.number),
      t.querySelector('[data-col="status"]').textContent]));
  check(shown.length === r.sections.length, 'readiness shows ' +
    shown.length + ' sections, the API ' + r.sections.length);
  r.sections.forEach((x, i) => check(shown[i][0] === x.number &&
    shown[i][1] === (x.status === null ? 'none (counts as red)' :
      x.status), 'section ' + x.number + ' shown ' + shown[i]));
  check(await text(page, '[data-field="counts"]').then((t) =>
    t.startsWith(r.green + ' green, ' + r.amber + ' amber, ' + r.red +
      ' red')), 'the readiness counts are not the API\'s');
  const changes = await apiAs(token, '/v1/readiness/history');
  const listed = await page.$$eval('#table-readiness-history tbody tr',
    (trs) => trs.map((t) => Number(t.dataset.number)));
  check(listed.join() === changes.map((c) => c.number).reverse().join(),
    'the readiness history shown is not the API\'s, newest first');
  await fits(page, 'readiness');
  await page.screenshot({ path: path.join(out, 'readiness.png'),
    fullPage: true });
}

// A terminal credential typed at sign-in goes with the request as
// X-Terminal: an unknown one is refused, in the daemon's words (the 401
// it costs is expected here, and only here).
async function terminal(browser) {
  const page = await browser.newPage();
  await watch(page);
  await page.goto(base + '/', { waitUntil: 'load' });
  const before = problems.length;
  await page.type('#username', 'mo');
  await page.type('#pin', '8888');
  await page.type('#terminal', 'nope:nope');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /terminal enrolled/.test(
    document.getElementById('signin-error').textContent));
  const extra = problems.splice(before);
  check(extra.every((p) => /401/.test(p)), extra.join('\n'));
  check(await page.$eval('#nav', (n) => n.hidden),
    'signed in with an unknown terminal');
  await page.close();
}

// The idle sign-out, its ten minutes made half a second: the page's
// timers of ten minutes or more are shortened before it loads.
async function idle(browser) {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    const st = window.setTimeout;
    window.setTimeout = (f, ms, ...a) => st(f, ms >= 600000 ? 500 : ms,
      ...a);
  });
  await watch(page);
  await signIn(page, 'mo', '8888');
  await page.waitForFunction(() => /Signed out after 10 minutes/.test(
    document.getElementById('signin-error').textContent),
  { timeout: 10000 }).catch(() => {});
  check(/Signed out after 10 minutes/.test(await text(page,
    '#signin-error')), 'an idle page was not signed out');
  check(await page.$eval('#nav', (n) => n.hidden),
    'the idle page still shows the navigation');
  check(await page.$eval('#board-rows', (b) => b.closest('section')
    .hidden), 'the idle page still shows the board');
  await page.close();
}

async function refused(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  await watch(page);
  // The refusal is a 201 sign-in then the DELETE of its own session.
  await signIn(page, 'nina', '2222');
  await page.waitForFunction(() =>
    /not a manager/.test(document.getElementById('signin-error')
      .textContent));
  check(await page.$eval('#nav', (n) => n.hidden),
    'a nurse sees the navigation');
  check(!(await page.$eval('#view-signin', (s) => s.hidden)),
    'a nurse is not back at the sign-in');
  await page.screenshot({ path: path.join(out, 'refused-nurse.png') });
  await page.close();
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: 'new',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu',
      '--no-first-run', '--lang=en-GB'],
  });
  try {
    const token = await session('mo', '8888');
    const page = await browser.newPage();
    await page.setViewport({ width: 1366, height: 768 });
    await watch(page);
    const cdp = await page.target().createCDPSession();
    await signIn(page, 'mo', '8888');
    await today(page, token);
    await compliance(page, token, cdp);
    await governance(page, token);
    await readiness(page, token);
    // Sign out: the token is gone from the daemon too.
    await page.click('#sign-out');
    await page.waitForSelector('#view-signin:not([hidden])');
    const stored = await page.evaluate(() => document.cookie +
      JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
    check(stored === '{}{}', 'something was stored: ' + stored);
    await page.close();
    await refused(browser);
    await terminal(browser);
    await idle(browser);
  } finally {
    await browser.close();
  }
  check(problems.length === 0, problems.join('\n'));
  for (const n of new Set(notes)) console.log('note: ' + n);
  console.log('browser: passed ' + checks + ' checks; screenshots in ' +
    out);
}

main().catch((e) => {
  console.error('FAIL: ' + e.message);
  if (problems.length > 0) console.error(problems.join('\n'));
  process.exit(1);
});
