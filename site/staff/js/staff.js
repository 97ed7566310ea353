// TIKet staff pages: the session (GET /api/auth/me), the staff menu, sign-out, and the
// page to return to after signing in. Every figure shown comes from the server.
import { fetchJSON, msg, h, lang } from '../../js/common.js';

export const REPORT_ROLES = ['tik', 'supervisor', 'admin'];
// Devices (BMN): admins import the list, ICT staff print the labels.
export const ASSET_ROLES = ['tik', 'admin'];
const NEXT_KEY = 'tiket-staff-next';
const $ = (id) => document.getElementById(id);

// {status, staff}: status 200 with the staff member, 401 without a session, 0 offline.
export async function whoami() {
  try {
    const r = await fetchJSON('/api/auth/me');
    return { status: r.status, staff: r.status === 200 ? r.data : null };
  } catch (e) {
    return { status: 0, staff: null };
  }
}

export function canReport(staff) {
  return !!staff && REPORT_ROLES.includes(staff.role);
}

// Fill the staff menu: who is signed in, the reports link only for roles that may read them.
export function showStaff(staff) {
  const nav = $('staff-nav');
  if (!nav) return;
  // The bar keeps its place while the session is checked (no layout shift when it fills).
  if (!staff) { nav.hidden = true; return; }
  nav.classList.remove('is-pending');
  const who = $('staff-who');
  who.replaceChildren(h('span', 'visually-hidden', msg('signedinas')), h('strong', '', staff.name || staff.email || ''));
  if (staff.role_label) who.append(` · ${staff.role_label}`);
  const reports = $('nav-reports');
  if (reports) reports.hidden = !canReport(staff);
  const assets = $('nav-assets');
  if (assets) assets.hidden = !ASSET_ROLES.includes(staff.role);
  const privacy = $('nav-privacy');  // personal data: erasure requests and the access log
  if (privacy) privacy.hidden = staff.role !== 'admin';
  nav.hidden = false;
}

// Remember a staff page (ticket or reports) to come back to once signed in.
export function rememberNext() {
  const page = location.pathname.split('/').pop() + location.search + location.hash;
  if (!/^(ticket|reports|assets)\.html/.test(page)) return;
  try { localStorage.setItem(NEXT_KEY, JSON.stringify({ page, at: Date.now() })); } catch (e) { /* blocked */ }
}

// The remembered page if recent (the link is valid 15 minutes; allow a little more).
export function takeNext() {
  let page = '';
  try {
    const v = JSON.parse(localStorage.getItem(NEXT_KEY) || 'null');
    localStorage.removeItem(NEXT_KEY);
    if (v && typeof v.page === 'string' && Date.now() - v.at < 30 * 60 * 1000) page = v.page;
  } catch (e) { /* blocked or malformed */ }
  // Only our own pages, with a ticket number or report period: never a foreign address.
  return /^(ticket|reports|assets)\.html(\?[A-Za-z0-9=&_\-]*)?(#[A-Za-z0-9\-]*)?$/.test(page) ? page : '';
}

export function toSignIn() {
  rememberNext();
  location.replace('index.html');
}

async function signOut() {
  const btn = $('signout');
  btn.disabled = true;
  try { await fetchJSON('/api/auth/logout', { method: 'POST', body: {} }); } catch (e) { /* the page leaves anyway */ }
  location.replace('index.html');
}

// The queue's filters, so the links back to it from other staff pages keep them.
const QUEUE_KEY = 'tiket-staff-queue';
export function rememberQueue(qs) {
  try { sessionStorage.setItem(QUEUE_KEY, qs); } catch (e) { /* blocked */ }
}
function queueLinks() {
  let qs = '';
  try { qs = sessionStorage.getItem(QUEUE_KEY) || ''; } catch (e) { /* blocked */ }
  if (!/^[a-z_]+=[A-Za-z0-9_.@%\-]+(&[a-z_]+=[A-Za-z0-9_.@%\-]+)*$/.test(qs)) return;
  document.querySelectorAll('[data-queue-link]').forEach((a) => { a.href = `index.html?${qs}`; });
}
queueLinks();

const signoutBtn = $('signout');
if (signoutBtn) signoutBtn.addEventListener('click', signOut);

// Numbers in the reader's notation: 88,89 (id) or 88.89 (en).
export function num(value, digits = 0) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return msg('none');
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'id-ID', {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(Number(value));
}

// Working minutes as "1 jam 35 menit" / "1 hr 35 min"; under a minute: "< 1 menit".
export function duration(minutes) {
  if (minutes === null || minutes === undefined || !Number.isFinite(Number(minutes))) return msg('none');
  const m = Number(minutes);
  if (m > 0 && m < 1) return msg('dur.lt1');
  const total = Math.round(m);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (!hours) return msg('dur.m', { m: num(rest) });
  if (!rest) return msg('dur.h', { h: num(hours) });
  return msg('dur.hm', { h: num(hours), m: num(rest) });
}
