// The governance pack for a month: the daemon's printable page
// (GET /v1/reports/governance?month=, text/html), shown here without its
// own scripts or styles (this page's policy allows neither) and printed
// with print.css.
import { api, ApiError } from './api.js';
import { el, clear } from './dom.js';
import { serverNow } from './today.js';

const $ = (id) => document.getElementById(id);

// The pack's body, as nodes of this document: no script, no style, no
// inline handler, no link that would leave the page.
function adopt(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const bad of doc.querySelectorAll(
    'script, style, link, meta, iframe, object, embed, base, form'))
    bad.remove();
  for (const e of doc.body.querySelectorAll('*'))
    for (const a of [...e.attributes])
      if (a.name.startsWith('on') || a.name === 'style' ||
        a.name === 'href' || a.name === 'src')
        e.removeAttribute(a.name);
  return [...doc.body.childNodes].map((n) => document.adoptNode(n));
}

async function load(say) {
  const month = $('month').value;
  const pack = clear($('pack'));
  if (!/^\d{4}-\d{2}$/.test(month)) {
    say('Choose a month.');
    return;
  }
  try {
    const html = await api('/v1/reports/governance?month=' + month,
      { accept: 'text/html' });
    pack.append(...adopt(html));
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    pack.append(el('p', { class: 'muted',
      text: 'The governance pack is not served by this daemon yet.' }));
  }
  document.body.dataset.pack = month;
}

export async function enter(say) {
  if (!$('month').value) {
    const base = serverNow ? new Date(serverNow) : new Date();
    $('month').value = base.toISOString().slice(0, 7);
  }
  $('month-form').onsubmit = (ev) => {
    ev.preventDefault();
    load(say).catch((e) => say('Could not load: ' + e.message));
  };
  $('pack-print').onclick = () => window.print();
  await load(say);
}
