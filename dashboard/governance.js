// The governance pack for a month: the daemon's printable page
// (GET /v1/reports/governance?month=, text/html), shown here without its
// own scripts or styles (this page's policy allows neither) and printed
// with print.css.
import { api, ApiError } from './api.js';
import { el, clear } from './dom.js';
import { serverNow } from './today.js';

const $ = (id) => document.getElementById(id);

// The pack's body, as nodes of this document: no script, no style, no
// inline handler, no link that would leave the page.  Its <style> and
// style attributes are taken out of the text before it is parsed (this
// page's policy refuses them, and says so, even in a parsed copy); a
// bar's width is kept aside and set again through the CSSOM, which the
// policy allows.
function adopt(html) {
  const text = html
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/\sstyle="width:\s*([0-9.]+)%;?"/gi, ' data-width="$1"')
    .replace(/\sstyle=("[^"]*"|'[^']*')/gi, '');
  const doc = new DOMParser().parseFromString(text, 'text/html');
  for (const bad of doc.querySelectorAll(
    'script, style, link, meta, iframe, object, embed, base, form'))
    bad.remove();
  for (const e of doc.body.querySelectorAll('*'))
    for (const a of [...e.attributes])
      if (a.name.startsWith('on') || a.name === 'href' || a.name === 'src')
        e.removeAttribute(a.name);
  const nodes = [...doc.body.childNodes].map((n) => document.adoptNode(n));
  for (const n of nodes)
    if (n.querySelectorAll)
      for (const bar of n.querySelectorAll('[data-width]'))
        bar.style.width = Math.min(100, Number(bar.dataset.width)) + '%';
  return nodes;
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
