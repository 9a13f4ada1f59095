// What both pages share: the token (localStorage), calls to the API with it, elements built from
// text (every string from the server is untrusted: it only ever becomes a text node), controls in
// program output shown escaped, and a run's Server-Sent Events read with fetch (EventSource cannot
// send an Authorization header).

const TOKEN_KEY = 'verdict.token';

export const token = {
  get: () => localStorage.getItem(TOKEN_KEY) ?? '',
  set: (value) => localStorage.setItem(TOKEN_KEY, value),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** An answer of the API that is not 2xx, with the server's words. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `The server answered ${status}.`);
    this.status = status;
    this.code = body?.error;
  }
}

function headers(extra = {}) {
  const h = { ...extra };
  const t = token.get();
  if (t) h.authorization = `Bearer ${t}`;
  return h;
}

/** Calls the API with the token; JSON in and out. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const res = await fetch(path, {
    method,
    headers: headers(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** Downloads what the API answers at `path` (with the token) as a file. */
export async function download(path, filename) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * An element with properties and children. Children are nodes or strings; a string becomes a text
 * node, so nothing from the server is ever parsed as markup. Properties are set as DOM properties
 * (className, textContent, value, …), `attrs` as attributes, `on` as listeners.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { attrs, on, ...rest } = props;
  Object.assign(node, rest);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const [k, v] of Object.entries(on ?? {})) node.addEventListener(k, v);
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** Replaces an element's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
}

export const $ = (selector) => document.querySelector(selector);

/**
 * Program output as text to look at: C0 and C1 controls (ESC of an ANSI sequence, BEL, …) and the
 * characters that reorder text out of sight are shown escaped ("\x1b"), as the CLI and the editor
 * show them (protocol/display.ts), never obeyed. A \r is kept only as part of \r\n.
 */
export function display(text) {
  return String(text ?? '').replace(/\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A verdict's CSS class: "Wrong Answer" → "status-wrong-answer". */
export const statusClass = (status) =>
  `status-${String(status ?? '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')}`;

/** A verdict as a badge. */
export const badge = (status) => el('span', { className: `badge ${statusClass(status)}` }, status || '—');

export const ms = (v) => (typeof v === 'number' ? `${Math.round(v)} ms` : '—');
export const memory = (kb) =>
  typeof kb === 'number' ? (kb >= 10240 ? `${(kb / 1024).toFixed(0)} MB` : `${(kb / 1024).toFixed(1)} MB`) : '—';
export const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

/**
 * Follows a run's events: each `{type, …}` to `onEvent` in order until `done`. Reads the SSE stream
 * with fetch and a stream reader; when the connection drops before `done`, comes back with
 * Last-Event-ID (the server replays what was missed). Resolves with the `done` event.
 */
export async function follow(runId, onEvent, signal) {
  let lastId = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`/v1/runs/${encodeURIComponent(runId)}/events`, {
        headers: headers(lastId ? { 'last-event-id': String(lastId) } : {}),
        signal,
      });
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = { data: [] };
          for (const line of block.split('\n')) {
            if (!line || line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') message.data.push(value);
            else message[field] = value;
          }
          if (!message.data.length) continue;
          if (message.id) lastId = Number(message.id) || lastId;
          const event = JSON.parse(message.data.join('\n'));
          onEvent(event);
          if (event.type === 'done') {
            await reader.cancel().catch(() => undefined);
            return event;
          }
        }
      }
    } catch (err) {
      if (signal?.aborted || err instanceof ApiError || attempt >= 5) throw err;
    }
    await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
  }
}

/**
 * The sign-in form of a page: keeps the token in localStorage, checks it with `check` (an API call
 * that needs it), and shows the page's signed-in part or the form.
 */
export function signInFlow({ check, onSignedIn }) {
  const form = $('#signin');
  const input = $('#token');
  const error = $('#signin-error');
  const out = $('#signout');
  const show = (signedIn) => {
    form.hidden = signedIn;
    $('#app').hidden = !signedIn;
    out.hidden = !signedIn;
  };
  const button = form.querySelector('button[type="submit"]');
  const tryToken = async () => {
    fill(error);
    // The first sign-in on a fresh server waits for the languages' versions to be probed (seconds).
    show(false);
    button.disabled = true;
    fill(button, 'Signing in…');
    try {
      const data = await check();
      show(true);
      await onSignedIn(data);
    } catch (err) {
      show(false);
      fill(error, err.message);
      input.focus();
    } finally {
      button.disabled = false;
      fill(button, 'Sign in');
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (!value) return fill(error, 'Paste the token your teacher gave you (it starts with vt_).');
    token.set(value);
    input.value = '';
    void tryToken();
  });
  out.addEventListener('click', () => {
    token.clear();
    location.reload();
  });
  if (token.get()) void tryToken();
  else show(false);
}
