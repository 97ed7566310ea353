// TIKet staff ticket page (ticket.html#<number>), its device section: the device the ticket was
// filed about (GET /api/staff/tickets/<number>/device), whether it fails repeatedly
// (berulang: ≥ 3 tickets in 90 days) and its other tickets, newest first.
import { fetchJSON, msg, h, timeEl, ready, onLanguageChange } from '../../js/common.js';

const $ = (id) => document.getElementById(id);
const section = $('t-device');
let seq = 0;

function readNumber() {
  let n = location.hash.replace(/^#/, '');
  try { n = decodeURIComponent(n); } catch (e) { /* keep raw */ }
  return n.trim().toUpperCase();
}

function text(v) { return typeof v === 'string' ? v.trim() : ''; }

function info(view) {
  const dl = $('d-info');
  dl.replaceChildren();
  const d = view.device;
  const rows = d
    ? [['d_name', text(d.name)], ['d_brand', text(d.brand_type)], ['d_location', text(d.location)],
      ['d_tag', text(d.tag)], ['d_holder', text(d.holder)]]
    : [['d_tag', text(view.tag)]];
  rows.forEach(([key, value]) => {
    if (!value) return;
    const dd = h('dd', '', value);
    if (key === 'd_tag' && d && d.retired) dd.append(' ', h('span', 'badge badge-neutral', msg('d.retired')));
    if (key === 'd_tag' && !d) dd.append(' ', h('span', 'muted', msg('d.unknown', { tag: value })));
    dl.append(h('dt', '', msg(`lbl.${key}`)), dd);
  });
}

function flag(view) {
  const p = $('d-flag');
  p.replaceChildren();
  const now = msg('d.recent', { n: view.recent, days: view.window_days, t: view.threshold });
  if (view.repeat || view.repeat_count) p.append(h('span', 'badge badge-repeat', msg('d.repeat')), ' ');
  p.append(h('span', '', now));
  if (view.repeat_count) p.append(' ', h('span', 'muted', msg('d.filed', { n: view.repeat_count, days: view.window_days })));
  p.hidden = false;
}

function others(view) {
  const list = $('d-tickets');
  list.replaceChildren();
  const tickets = Array.isArray(view.tickets) ? view.tickets : [];
  if (!tickets.length) { list.append(h('li', 'muted', msg('d.noothers'))); return; }
  tickets.forEach((t) => {
    if (!t || typeof t.number !== 'string') return;
    const li = h('li');
    const a = h('a', '', t.number);
    a.href = `ticket.html#${encodeURIComponent(t.number)}`;
    const code = String(t.status || '').replace(/[^a-z_]/g, '');
    li.append(a, ' ', h('span', `badge badge-status${code ? ` status-${code}` : ''}`, t.status_label || t.status || ''), ' ');
    li.append(h('span', '', text(t.subject)), ' ');
    const meta = h('span', 'muted small');
    meta.append('(', text(t.category_label), ', ', timeEl(t.created_at, true), ')');
    li.append(meta);
    list.append(li);
  });
  if (view.more) list.append(h('li', 'muted', msg('d.more', { n: tickets.length })));
}

async function load() {
  const number = readNumber();
  const mine = ++seq;
  if (!number) { section.hidden = true; return; }
  let r;
  try { r = await fetchJSON(`/api/staff/tickets/${encodeURIComponent(number)}/device`); } catch (e) { return; }
  if (mine !== seq) return;
  const view = r.status === 200 ? r.data : null;
  // No device named (or no access, or an error the ticket section reports): no section.
  if (!view || !view.tag) { section.hidden = true; return; }
  info(view);
  flag(view);
  others(view);
  section.hidden = false;
}

window.addEventListener('hashchange', load);
const refresh = $('refresh');
if (refresh) refresh.addEventListener('click', load);
ready.then(load);
onLanguageChange(load);
