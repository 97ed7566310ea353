// TIKet shared helpers: API base, fetchJSON, dates in WIB, UI messages, language switch.

const LANG_KEY = 'tiket-lang';
const meta = document.querySelector('meta[name="tiket-api-base"]');
// Empty (or missing) means the API is on the same origin as the site.
const API_BASE = ((meta && meta.getAttribute('content')) || '').trim().replace(/\/+$/, '');

export function apiUrl(path) { return API_BASE + path; }

let current = 'id';
try { if (localStorage.getItem(LANG_KEY) === 'en') current = 'en'; } catch (e) { /* storage blocked */ }
export function lang() { return current; }

// No HTTP answer: the request may or may not have reached the server.
export class NetworkError extends Error {}

// Resolves {status, ok, data, headers} for any HTTP answer (data {} if not JSON);
// rejects with NetworkError when no answer came (offline, timeout).
export async function fetchJSON(path, { method = 'GET', body, headers = {}, timeout = 20000, cache = 'no-store' } = {}) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeout);
  const h = { Accept: 'application/json', 'Accept-Language': current, ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  try {
    let res;
    try {
      res = await fetch(apiUrl(path), {
        method, headers: h, cache, credentials: 'same-origin', signal: ctrl.signal,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new NetworkError(String(e));
    }
    let data = null;
    if ((res.headers.get('Content-Type') || '').includes('json')) {
      try { data = await res.json(); } catch (e) { data = null; }
    }
    return { status: res.status, ok: res.ok, data: data && typeof data === 'object' ? data : {}, headers: res.headers };
  } finally {
    clearTimeout(timer);
  }
}

let optionsPromise = null;
// GET /api/options once per page (again after a language switch); null on failure.
export function loadOptions(force) {
  if (!optionsPromise || force) {
    // The language is in the URL: the answer is cacheable and its labels are translated.
    optionsPromise = fetchJSON(`/api/options?lang=${current}`, { cache: 'default' })
      .then((r) => (r.ok ? r.data : null))
      .catch(() => null);
  }
  return optionsPromise;
}

// Fill [data-unit-name] elements; the static fallback text stays otherwise.
export function showUnitName(options) {
  const name = options && typeof options.unit_name === 'string' ? options.unit_name.trim() : '';
  if (!name) return;
  document.querySelectorAll('[data-unit-name]').forEach((el) => { el.textContent = name; });
}

// Random UUID v4.
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// "Jumat, 27 November 2026 pukul 16.28 WIB" or, short, "27 Nov 2026 16.28 WIB" (Asia/Jakarta),
// as the server writes them (tiket.messages.formatting).
export function formatDateTime(iso, short) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const loc = current === 'en' ? 'en-GB' : 'id-ID';
  const opts = { timeZone: 'Asia/Jakarta', day: 'numeric', month: short ? 'short' : 'long', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (!short) opts.weekday = 'long';
  const p = {};
  new Intl.DateTimeFormat(loc, opts).formatToParts(d).forEach((x) => { p[x.type] = x.value; });
  const sep = current === 'en' ? ':' : '.';
  const at = short ? '' : (current === 'en' ? 'at ' : 'pukul ');
  return `${short ? '' : `${p.weekday}, `}${p.day} ${p.month} ${p.year} ${at}${p.hour}${sep}${p.minute} WIB`;
}

// A <time> element; the date and the clock time each stay on one line.
export function timeEl(iso, short) {
  const t = document.createElement('time');
  if (iso) t.dateTime = iso;
  const text = formatDateTime(iso, short);
  const m = /^(.*?) ((?:pukul |at )?\d\d[.:]\d\d WIB)$/.exec(text);
  if (m) t.append(h('span', 'nw', m[1]), ' ', h('span', 'nw', m[2])); else t.textContent = text;
  return t;
}

// UI message from the page's hidden [data-msg] elements (translated like any text).
export function msg(key, vars) {
  const el = document.querySelector(`[data-msg="${key}"]`);
  let s = el ? el.textContent : key;
  if (vars) Object.keys(vars).forEach((k) => { s = s.split(`{${k}}`).join(String(vars[k])); });
  return s;
}

// Working minutes as the server writes them (format_minutes): "1 jam 35 menit", "10 menit".
export function formatMinutes(minutes) {
  const total = Math.round(Number(minutes));
  if (!Number.isFinite(total)) return '';
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  const [hw, mw] = current === 'en' ? ['h', 'min'] : ['jam', 'menit'];
  if (hours && rest) return `${hours} ${hw} ${rest} ${mw}`;
  return hours ? `${hours} ${hw}` : `${rest} ${mw}`;
}

export function h(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

// ---- language switch: the code and the English texts live in i18n.js, loaded on demand.
let i18n = null;
async function loadI18n() {
  if (!i18n) i18n = await import('./i18n.js');
  return i18n;
}

// Resolves once the page text is in the chosen language.
export const ready = current === 'en'
  ? loadI18n().then((m) => m.apply('en')).catch(() => { current = 'id'; })
  : Promise.resolve();

const listeners = [];
export function onLanguageChange(fn) { listeners.push(fn); }

const switchBtn = document.getElementById('lang-switch');
if (switchBtn) {
  switchBtn.addEventListener('click', async () => {
    const next = current === 'en' ? 'id' : 'en';
    try { (await loadI18n()).apply(next); } catch (e) { return; }
    current = next;
    try { localStorage.setItem(LANG_KEY, current); } catch (e) { /* storage blocked */ }
    listeners.forEach((fn) => { try { fn(current); } catch (e) { /* keep going */ } });
  });
}
