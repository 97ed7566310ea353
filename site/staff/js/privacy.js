// TIKet admin page for personal data (staff/privacy.html): erasure requests to decide
// (approve, or refuse with a reason) and the access log of staff reads, with its CSV.
import { fetchJSON, loadOptions, showUnitName, msg, h, timeEl, ready, onLanguageChange } from '../../js/common.js';
import { whoami, showStaff, toSignIn } from './staff.js';

const $ = (id) => document.getElementById(id);

function fail(text) {
  const box = $('p-error');
  box.textContent = text || '';
  box.hidden = !text;
  if (text) box.focus();
}

async function decide(id, body) {
  fail('');
  const r = await fetchJSON(`/api/staff/erasures/${encodeURIComponent(id)}`, { method: 'POST', body });
  if (r.status === 401) { toSignIn(); return; }
  if (!r.ok) { fail(r.data.message || msg('p.error')); return; }
  await loadErasures();
  await loadLog();
}

function erasureItem(req) {
  const li = h('li', 'card');
  const head = h('p');
  head.append(h('strong', '', req.email || '[dihapus]'), ' ', h('span', 'badge badge-status', req.status_label));
  if (req.escalated) head.append(' ', h('span', 'badge badge-late', msg('p.escalated')));
  const when = h('p', 'muted small');
  when.append(timeEl(req.requested_at, true), ` · ${msg('p.tickets', { n: req.tickets })}`);
  li.append(head, when);
  if (req.reason) li.append(h('p', '', req.reason));
  if (req.status !== 'pending') return li;
  const approve = h('button', 'btn btn-primary btn-small', msg('p.approve'));
  approve.type = 'button';
  approve.addEventListener('click', () => {
    if (window.confirm(msg('p.confirm'))) decide(req.id, { decision: 'approve' });
  });
  const form = h('form', 'refuse-form');
  const id = `reason-${req.id}`;
  const label = h('label', 'label', msg('p.reason'));
  label.htmlFor = id;
  const reason = h('textarea');
  Object.assign(reason, { id, rows: 2, maxLength: 500, required: true });
  const refuse = h('button', 'btn btn-small', msg('p.refuse'));
  refuse.type = 'submit';
  form.append(label, reason, refuse);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) { reason.focus(); return; }
    decide(req.id, { decision: 'refuse', reason: reason.value.trim() });
  });
  const actions = h('div', 'actions');
  actions.append(approve);
  li.append(actions, form);
  return li;
}

async function loadErasures() {
  const r = await fetchJSON('/api/staff/erasures');
  if (r.status === 401) { toSignIn(); return; }
  if (!r.ok) { fail(r.data.message || msg('p.error')); return; }
  $('p-erasures').replaceChildren(...r.data.requests.map(erasureItem));
  $('p-none').hidden = r.data.count > 0;
}

function query() {
  const params = new URLSearchParams();
  ['ticket', 'staff', 'from', 'to'].forEach((name) => {
    const value = $(`p-${name}`).value.trim();
    if (value) params.set(name, value);
  });
  return params.toString();
}

async function loadLog() {
  const q = query();
  $('p-csv').href = `/api/staff/access-log.csv${q ? `?${q}` : ''}`;
  const r = await fetchJSON(`/api/staff/access-log${q ? `?${q}` : ''}`);
  if (!r.ok) { fail(r.data.message || msg('p.error')); return; }
  const rows = r.data.entries.map((e) => {
    const tr = h('tr');
    const at = h('td');
    at.append(timeEl(e.at, true));
    const ticket = h('td');
    const a = h('a', '', e.ticket);
    a.href = `ticket.html#${encodeURIComponent(e.ticket)}`;
    ticket.append(a);
    tr.append(at, h('td', '', `${e.staff} (${e.role})`), ticket, h('td', '', e.view_label));
    return tr;
  });
  $('p-log').replaceChildren(...rows);
  $('p-log-empty').hidden = rows.length > 0;
}

$('p-log-form').addEventListener('submit', (ev) => { ev.preventDefault(); fail(''); loadLog(); });

async function start() {
  loadOptions().then(showUnitName);
  const w = await whoami();
  if (w.status === 401) { toSignIn(); return; }
  showStaff(w.staff);
  if (!w.staff || w.staff.role !== 'admin') { fail(msg('p.admin_only')); return; }
  await loadErasures();
  await loadLog();
}

onLanguageChange(() => { loadErasures(); loadLog(); });
ready.then(start);
