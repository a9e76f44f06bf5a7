// The managers' dashboard: sign-in, the views and the idle sign-out.
import { api, setToken, setTerminal, signedIn, whenSignedOut, ApiError }
  from './api.js';
import * as today from './today.js';
import * as compliance from './compliance.js';
import * as governance from './governance.js';
import * as readiness from './readiness.js';

// Signed out after this long without a key or a click.
const IDLE_MS = 10 * 60 * 1000;
// Each view exports enter(say), and leave() if it holds anything open.
const views = { today, compliance, governance, readiness };
let current = null;
let idleTimer = null;

const $ = (id) => document.getElementById(id);

function say(words) {
  $('status').textContent = words;
}

function show(id) {
  for (const s of document.querySelectorAll('main > section'))
    s.hidden = s.id !== 'view-' + id;
}

function signedOutView(words) {
  if (current && views[current] && views[current].leave)
    views[current].leave();
  current = null;
  $('nav').hidden = true;
  $('who').hidden = true;
  show('signin');
  $('signin-error').textContent = words || '';
  $('pin').value = '';
  $('terminal').value = '';
  setTerminal(null);
  $('username').focus();
  clearTimeout(idleTimer);
}

async function signOut(words) {
  // The view's alert stream is closed first: the daemon ends the
  // streams of a session that ends.
  if (current && views[current].leave) views[current].leave();
  current = null;
  if (signedIn()) {
    try {
      await api('/v1/sessions/current', { method: 'DELETE' });
    } catch (_) { /* ended already */ }
  }
  setToken(null);
  signedOutView(words);
}

function touch() {
  if (!signedIn()) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => signOut('Signed out after ' +
    IDLE_MS / 60000 + ' minutes without use.'), IDLE_MS);
}

async function open(name) {
  if (!signedIn()) return;
  if (!views[name]) name = 'today';
  if (current && current !== name && views[current].leave)
    views[current].leave();
  current = name;
  for (const a of document.querySelectorAll('#nav a'))
    a.toggleAttribute('aria-current', a.dataset.view === name);
  show(name);
  say('');
  try {
    await views[name].enter(say);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401))
      say('Could not load: ' + e.message);
  }
  document.body.dataset.ready = name;
}

async function signIn(ev) {
  ev.preventDefault();
  const username = $('username').value.trim();
  const pin = $('pin').value;
  $('signin-error').textContent = '';
  if (username === '' || pin === '') {
    $('signin-error').textContent = 'Give your username and PIN.';
    return;
  }
  let s;
  setTerminal($('terminal').value.trim() || null);
  try {
    s = await api('/v1/sessions', { method: 'POST',
      body: { username, pin } });
  } catch (e) {
    $('pin').value = '';
    $('signin-error').textContent = e.message;
    return;
  }
  setToken(s.token);
  if (!s.staff.roles.includes('manager')) {
    await signOut('This dashboard is for healthcare managers. ' +
      s.staff.display_name + ' is not a manager, and has been ' +
      'signed out.');
    return;
  }
  $('who-name').textContent = 'Signed in: ' + s.staff.display_name;
  $('who').hidden = false;
  $('nav').hidden = false;
  touch();
  const want = location.hash.slice(1);
  if (want === '' || want === 'today') open('today');
  else location.hash = 'today';
}

function start() {
  whenSignedOut((words) => signedOutView(words));
  $('signin-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut('Signed out.'));
  window.addEventListener('hashchange', () =>
    open(location.hash.slice(1)));
  for (const ev of ['keydown', 'pointerdown'])
    document.addEventListener(ev, touch, { passive: true });
  signedOutView('');
}

start();
