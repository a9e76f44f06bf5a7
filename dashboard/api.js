// The API on this origin.  The session token lives in this module's
// variable only: never a cookie, never storage, gone with the page.
let token = null;
// The enrolled terminal's credential (X-Terminal), as typed at sign-in:
// a session is bound to its terminal, so every request sends it.
let terminal = null;
let onSignedOut = () => {};

export function setToken(t) {
  token = t;
}

export function setTerminal(t) {
  terminal = t;
}

export function signedIn() {
  return token !== null;
}

// What to do when the daemon no longer accepts the token (401).
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(accept, hasBody) {
  const h = { Accept: accept };
  if (token !== null) h.Authorization = 'Bearer ' + token;
  if (terminal !== null) h['X-Terminal'] = terminal;
  if (hasBody) h['Content-Type'] = 'application/json';
  return h;
}

// A call: JSON back, or a Blob when accept is not JSON.
export async function api(path, { method = 'GET', body, accept } = {}) {
  const wanted = accept || 'application/json';
  const res = await fetch(path, {
    method,
    headers: headers(wanted, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (res.status === 401 && token !== null) {
    token = null;
    onSignedOut('Your session ended; sign in again.');
  }
  if (!res.ok) {
    let code = 'error';
    let message = res.status + ' ' + res.statusText;
    try {
      const e = (await res.json()).error || {};
      code = e.code || code;
      message = e.message || message;
    } catch (_) { /* not JSON */ }
    throw new ApiError(res.status, code, message);
  }
  if (res.status === 204) {
    await res.text();	// read to its end, so the request is complete
    return null;
  }
  if (wanted === 'application/json') return res.json();
  if (wanted.startsWith('text/html')) return res.text();
  return res.blob();
}

// Follow the alert stream (server-sent events) with fetch, since an
// EventSource cannot send Authorization; onEvent(name, data) for each.
// Returns a function that stops it.
export function follow(path, onEvent, onState) {
  const ctl = new AbortController();
  (async () => {
    try {
      const res = await fetch(path, {
        headers: headers('text/event-stream', false),
        signal: ctl.signal,
        cache: 'no-store',
        credentials: 'omit',
      });
      if (!res.ok || !res.body) throw new Error('status ' + res.status);
      onState(true);
      const reader = res.body.pipeThrough(new TextDecoderStream())
        .getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let end;
        while ((end = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          let name = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5));
          }
          if (data.length > 0) onEvent(name, data.join('\n'));
        }
      }
      onState(false);
    } catch (e) {
      if (!ctl.signal.aborted) onState(false);
    }
  })();
  return () => ctl.abort();
}

// Save a Blob as a file the browser downloads.
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
