// Search every ticket, open or closed (staff/index.html): by number, requester, words and the
// period filed, through GET /api/staff/tickets. Results link to the ticket page.
import { fetchJSON, msg, h, timeEl, formatDateTime, onLanguageChange } from '../../js/common.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['q', 'requester', 'status', 'from', 'to'];
let seq = 0;
let last = null;

function meta(label, content) {
  const div = h('div');
  div.append(h('dt', '', label));
  const dd = h('dd');
  if (content instanceof Node) dd.append(content); else dd.textContent = content;
  div.append(dd);
  return div;
}

function item(t) {
  const li = h('li', 'q-item');
  const number = String(t.number || '');
  li.dataset.number = number;
  if (t.late) li.classList.add('is-late');
  const head = h('div', 'q-head');
  const a = h('a', 'q-number', number);
  a.href = `ticket.html#${encodeURIComponent(number)}`;
  const code = String(t.status || '').replace(/[^a-z_]/g, '');
  head.append(a, h('span', `badge badge-status${code ? ` status-${code}` : ''}`, t.status_label || t.status || ''));
  li.append(head, h('p', 'q-subject', t.subject || ''));
  const dl = h('dl', 'q-meta');
  dl.append(meta(msg('s.requester'), [t.requester_name, t.unit].filter(Boolean).join(' · ')));
  if (t.created_at) dl.append(meta(msg('s.created'), timeEl(t.created_at, true)));
  const ended = t.closed_at || t.resolved_at;
  if (ended) dl.append(meta(msg('s.closed'), timeEl(ended, true)));
  li.append(dl);
  return li;
}

function clearErrors() {
  document.querySelectorAll('#search-form [data-error-for]').forEach((el) => { el.textContent = ''; });
  FIELDS.forEach((name) => { const el = $(`s-${name}`); if (el) el.removeAttribute('aria-invalid'); });
  $('s-error').hidden = true;
}

function render(data) {
  const rows = Array.isArray(data.tickets) ? data.tickets : [];
  const day = (d) => formatDateTime(`${d}T12:00:00+07:00`, true).replace(/ \d\d[.:]\d\d WIB$/, '');
  const parts = [rows.length ? msg('s.found', { n: rows.length, from: day(data.start), to: day(data.end) }) : msg('s.none')];
  if (data.truncated) parts.push(msg('s.more'));
  $('s-summary').textContent = parts.join(' ');
  $('s-results').replaceChildren(...rows.filter((t) => t && typeof t === 'object').map(item));
}

async function search(ev) {
  if (ev) ev.preventDefault();
  const mine = ++seq;
  clearErrors();
  const q = new URLSearchParams();
  FIELDS.forEach((name) => { const v = $(`s-${name}`).value.trim(); if (v) q.set(name, v); });
  $('s-summary').textContent = msg('s.searching');
  $('s-submit').disabled = true;
  let r = null;
  try { r = await fetchJSON(`/api/staff/tickets?${q}`); } catch (e) { r = null; }
  if (mine !== seq) return;
  $('s-submit').disabled = false;
  if (r && r.status === 200) { last = r.data; render(r.data); return; }
  $('s-summary').textContent = '';
  if (r && r.status === 401) { location.reload(); return; }
  if (r && r.status === 400 && r.data && r.data.fields) {
    Object.entries(r.data.fields).forEach(([name, text]) => {
      const slot = document.querySelector(`#search-form [data-error-for="${name}"]`);
      if (slot) slot.textContent = String(text);
      const el = $(`s-${name}`);
      if (el) el.setAttribute('aria-invalid', 'true');
    });
    return;
  }
  $('s-error').textContent = (r && r.data && r.data.message) || msg(r ? 'generic' : 'network');
  $('s-error').hidden = false;
}

$('search-form').addEventListener('submit', search);
onLanguageChange(() => { if (last) search(); });
