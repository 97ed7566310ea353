// TIKet reports page, its devices section: the devices and categories that fail most, per
// location (GET /api/reports/devices), for the period the page shows. The page keeps its
// period in the URL and writes its label into #r-period once a report is shown: this module
// follows that label, so it needs nothing from reports.js.
import { fetchJSON, msg, h, timeEl, ready, onLanguageChange } from '../../js/common.js';

const $ = (id) => document.getElementById(id);
const status = $('dr-status');
const holder = $('dr-locations');
let seq = 0;
let lastQuery = null;

function query() {
  const q = new URLSearchParams(window.location.search);
  const out = new URLSearchParams();
  ['period', 'from', 'to'].forEach((name) => { if (q.get(name)) out.set(name, q.get(name)); });
  return out.toString();
}

function text(v) { return typeof v === 'string' ? v.trim() : ''; }

function categories(list) {
  return (Array.isArray(list) ? list : []).map((c) => `${text(c.label) || text(c.code)} (${Number(c.count) || 0})`).join(', ');
}

function cell(tag, content, label, cls) {
  const el = h(tag, cls || '');
  if (label) el.dataset.label = label;
  if (content instanceof Node) el.append(content); else el.textContent = content;
  return el;
}

function locationTable(place, index) {
  const wrap = h('div', 'table-wrap');
  wrap.tabIndex = 0;
  wrap.setAttribute('role', 'region');
  const table = h('table', 'data-table stack-sm');
  const caption = h('caption', '', msg('dr.location', { name: text(place.name), n: place.tickets }));
  caption.id = `dr-cap-${index}`;
  wrap.setAttribute('aria-labelledby', caption.id);
  table.append(caption);
  const head = h('tr');
  ['dr.col.device', 'dr.col.tickets', 'dr.col.categories', 'dr.col.last'].forEach((key, i) => {
    const th = h('th', i === 1 ? 'num' : '', msg(key));
    th.scope = 'col';
    head.append(th);
  });
  const thead = h('thead');
  thead.append(head);
  const body = h('tbody');
  (Array.isArray(place.devices) ? place.devices : []).forEach((d) => {
    const tr = h('tr');
    const name = h('span');
    name.append(h('strong', '', [text(d.name), text(d.brand_type)].filter(Boolean).join(' ') || text(d.tag)));
    name.append(h('span', 'hint', d.name ? text(d.tag) : `${text(d.tag)} — ${msg('dr.unregistered')}`));
    const th = cell('th', name);
    th.scope = 'row';
    tr.append(th, cell('td', String(d.tickets), msg('dr.col.tickets'), 'num'));
    tr.append(cell('td', categories(d.categories), msg('dr.col.categories')));
    tr.append(cell('td', timeEl(d.last, true), msg('dr.col.last')));
    body.append(tr);
  });
  table.append(thead, body);
  wrap.append(table);
  const block = h('div', 'device-place');
  block.append(wrap, h('p', 'small', msg('dr.categories', { items: categories(place.categories) })));
  return block;
}

async function load(force) {
  const q = query();
  if (!force && q === lastQuery) return;
  lastQuery = q;
  const mine = ++seq;
  status.textContent = msg('loading');
  let r;
  try { r = await fetchJSON(`/api/reports/devices${q ? `?${q}` : ''}`); } catch (e) { r = { ok: false, data: {} }; }
  if (mine !== seq) return;
  holder.replaceChildren();
  if (!r.ok) { status.textContent = msg('dr.error'); return; }
  const places = Array.isArray(r.data.locations) ? r.data.locations : [];
  status.textContent = places.length ? msg('dr.total', { n: r.data.tickets }) : msg('dr.none');
  places.forEach((place, i) => holder.append(locationTable(place, i)));
}

// The report's period label changes whenever another period is shown.
new MutationObserver(() => load(false)).observe($('r-period'), { childList: true, characterData: true, subtree: true });
ready.then(() => { if (text($('r-period').textContent)) load(false); });
onLanguageChange(() => load(true));
