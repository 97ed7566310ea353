// TIKet reports (staff/reports.html): the figures of one period from /api/reports/summary,
// the server-drawn charts as images, the exports as downloads. The period lives in the URL
// (?period=2026-11 | 2026-Q4 | 2026-S2 | 2026, or ?from=&to=); none means this month.
import { fetchJSON, apiUrl, loadOptions, showUnitName, msg, h, lang, formatDateTime, ready, onLanguageChange } from '../../js/common.js';
import { whoami, showStaff, toSignIn, num, duration } from './staff.js';
import { renderActivity } from './activity.js';
import { setupExport, periodChanged, relabel } from './export.js';

const $ = (id) => document.getElementById(id);
const KEY = /^(\d{4})(?:-(?:(\d{2})|Q([1-4])|S([12])))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHARTS = ['category', 'compliance', 'skm'];
// The request list itself is an export job (export.js): a year of it is no quick download.
const DOWNLOADS = { 'dl-skm-csv': 'skm.csv', 'dl-skm-xlsx': 'skm.xlsx', 'dl-monitoring-xlsx': 'monitoring.xlsx' };

let report = null;
let seq = 0;

const pct = (v) => (v === null || v === undefined ? msg('none') : `${num(v, 1)}%`);

// ---- the period: URL <-> form -----------------------------------------------------------
function urlParams() {
  const q = new URLSearchParams(location.search);
  const out = new URLSearchParams();
  const from = q.get('from') || '';
  const to = q.get('to') || '';
  if (from || to) {
    if (DATE.test(from)) out.set('from', from);
    if (DATE.test(to)) out.set('to', to);
  } else if (KEY.test(q.get('period') || '')) {
    out.set('period', q.get('period'));
  }
  return out;
}

function showKind(kind) {
  document.querySelectorAll('#period-form [data-kinds]').forEach((el) => {
    el.hidden = !el.dataset.kinds.split(' ').includes(kind);
  });
}

// Set the form from a period as the server described it ({kind, key, from, to}).
function setForm(p) {
  if (!p || typeof p !== 'object') return;
  const kind = ['month', 'quarter', 'semester', 'year', 'range'].includes(p.kind) ? p.kind : 'month';
  $('p-kind').value = kind;
  const m = KEY.exec(String(p.key || ''));
  if (m) {
    $('p-year').value = m[1];
    if (m[2]) $('p-month').value = String(Number(m[2]));
    if (m[3]) $('p-quarter').value = m[3];
    if (m[4]) $('p-semester').value = m[4];
  } else if (DATE.test(String(p.from || ''))) {
    $('p-year').value = String(p.from).slice(0, 4);
  }
  if (DATE.test(String(p.from || ''))) $('p-from').value = p.from;
  if (DATE.test(String(p.to || ''))) $('p-to').value = p.to;
  showKind(kind);
}

// The form as query parameters, or null (with a message) if it is incomplete.
function formParams() {
  const kind = $('p-kind').value;
  const out = new URLSearchParams();
  const err = $('period-error');
  err.textContent = '';
  ['p-year', 'p-from', 'p-to'].forEach((id) => $(id).removeAttribute('aria-invalid'));
  if (kind === 'range') {
    const from = $('p-from').value;
    const to = $('p-to').value;
    if (!DATE.test(from) || !DATE.test(to) || to < from) {
      err.textContent = msg('invalid');
      const bad = !DATE.test(from) ? $('p-from') : $('p-to');
      bad.setAttribute('aria-invalid', 'true');
      bad.focus();
      return null;
    }
    out.set('from', from);
    out.set('to', to);
    return out;
  }
  const year = Number($('p-year').value);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    err.textContent = msg('invalid');
    $('p-year').setAttribute('aria-invalid', 'true');
    $('p-year').focus();
    return null;
  }
  if (kind === 'month') out.set('period', `${year}-${String($('p-month').value).padStart(2, '0')}`);
  else if (kind === 'quarter') out.set('period', `${year}-Q${$('p-quarter').value}`);
  else if (kind === 'semester') out.set('period', `${year}-S${$('p-semester').value}`);
  else out.set('period', String(year));
  return out;
}

// ---- rendering ----------------------------------------------------------------------------
function cell(tag, cls, content) {
  const c = h(tag, cls);
  if (content instanceof Node) c.append(content); else c.textContent = content === null || content === undefined ? msg('none') : String(content);
  return c;
}

function rowHead(text) {
  const th = cell('th', '', text);
  th.scope = 'row';
  return th;
}

function emptyRow(body, cols) {
  const tr = h('tr');
  const td = h('td', 'muted', msg('empty'));
  td.colSpan = cols;
  tr.append(td);
  body.append(tr);
}

function countTable(id, items, labelOf) {
  const body = $(id).querySelector('tbody');
  body.replaceChildren();
  const list = Array.isArray(items) ? items.filter((x) => x && typeof x === 'object') : [];
  if (!list.length) { emptyRow(body, 2); return; }
  list.forEach((x) => {
    const tr = h('tr');
    if (x.code) tr.dataset.code = String(x.code);
    tr.append(rowHead(labelOf(x)), cell('td', 'num', num(x.count)));
    body.append(tr);
  });
}

function badge(cls, text) { return h('span', `badge ${cls}`, text); }

function renderFigures(r) {
  const skm = r.skm || {};
  const backlog = r.backlog || {};
  $('fig-tickets').textContent = num(r.tickets);
  $('fig-backlog').textContent = msg('backlog', { n: num(backlog.total) });
  const hasIkm = skm.converted !== null && skm.converted !== undefined;
  $('fig-ikm').textContent = hasIkm ? num(skm.converted, 2) : msg('none');
  $('fig-ikm-category').textContent = skm.category ? `${skm.category} — ${skm.category_label || ''}` : msg('ikm.none');
  $('fig-ikm-raw').textContent = hasIkm ? msg('ikm.raw', { ikm: num(skm.ikm, 2) }) : '';
  $('fig-respondents').textContent = num(skm.respondents);
  $('fig-sample').textContent = msg('sample', { sample: num(skm.sample), population: num(skm.population) });
  const ad = $('fig-adequacy');
  ad.textContent = skm.adequate ? msg('adequate') : msg('inadequate');
  ad.className = `badge ${skm.adequate ? 'badge-ok' : 'badge-warn'}`;
  ad.dataset.adequate = skm.adequate ? 'true' : 'false';
  const steps = Array.isArray(r.compliance) ? r.compliance : [];
  const breaches = steps.reduce((s, x) => s + (Number.isFinite(x.breaches) ? x.breaches : 0), 0);
  const t = r.threshold_percent;
  const measured = steps.filter((x) => x.percent !== null && x.percent !== undefined);
  const below = measured.filter((x) => Number.isFinite(t) && x.percent < t);
  $('fig-breaches').textContent = num(breaches);
  $('fig-below').textContent = msg('below', { n: num(below.length), total: num(measured.length), t: num(t, 1) });
}

function renderCompliance(r) {
  const t = r.threshold_percent;
  $('compliance-note').textContent = msg('threshold', { t: num(t, 1) });
  const body = $('compliance-body');
  body.replaceChildren();
  const steps = Array.isArray(r.compliance) ? r.compliance : [];
  if (!steps.length) { emptyRow(body, 8); return; }
  steps.forEach((x) => {
    const tr = h('tr');
    tr.dataset.step = String(x.step || '');
    let verdict;
    if (x.percent === null || x.percent === undefined) verdict = badge('badge-neutral', msg('nodata'));
    else if (Number.isFinite(t) && x.percent < t) { verdict = badge('badge-late', msg('fails')); tr.dataset.below = 'true'; }
    else verdict = badge('badge-ok', msg('meets'));
    tr.append(
      rowHead(x.label || x.step),
      cell('td', 'num', num(x.completed)),
      cell('td', 'num', num(x.on_time)),
      cell('td', 'num', num(x.late)),
      cell('td', 'num', num(x.open_overdue)),
      cell('td', 'num', num(x.breaches)),
      cell('td', 'num', pct(x.percent)),
      cell('td', '', verdict),
    );
    body.append(tr);
  });
}

function renderDurations(r) {
  const body = $('durations-body');
  body.replaceChildren();
  const rows = Array.isArray(r.durations) ? r.durations : [];
  if (!rows.length) { emptyRow(body, 4); return; }
  rows.forEach((x) => {
    const tr = h('tr');
    tr.dataset.measure = String(x.measure || '');
    tr.append(rowHead(x.label || x.measure), cell('td', 'num', num(x.count)),
      cell('td', 'num', duration(x.median_minutes)), cell('td', 'num', duration(x.p90_minutes)));
    body.append(tr);
  });
}

function renderStaff(r) {
  const body = $('staff-body');
  body.replaceChildren();
  const rows = Array.isArray(r.staff) ? r.staff : [];
  if (!rows.length) { emptyRow(body, 7); return; }
  rows.forEach((x) => {
    const tr = h('tr');
    tr.dataset.email = String(x.email || '');
    const name = rowHead(x.name || x.email);
    if (x.name && x.email) name.append(h('span', 'hint', x.email));
    tr.append(name, cell('td', '', x.role_label || x.role), cell('td', 'num', num(x.acknowledged)),
      cell('td', 'num', num(x.resolved)), cell('td', 'num', num(x.breaches)),
      cell('td', 'num', num(x.open_overdue)), cell('td', 'num', duration(x.median_resolve_minutes)));
    body.append(tr);
  });
}

function renderSkm(r) {
  const skm = r.skm || {};
  const body = $('skm-body');
  body.replaceChildren();
  const rows = Array.isArray(skm.nrr) ? skm.nrr : [];
  rows.forEach((x, i) => {
    const tr = h('tr');
    tr.dataset.unsur = String(x.code || '');
    tr.append(cell('td', 'num', `${i + 1}`), rowHead(x.name || x.code), cell('td', 'num', num(x.nrr, 2)));
    body.append(tr);
  });
  $('skm-ikm').textContent = num(skm.ikm, 2);
  $('skm-converted').textContent = num(skm.converted, 2);
  $('skm-category').textContent = skm.category ? `${skm.category} — ${skm.category_label || ''}` : msg('ikm.none');
  $('skm-note').textContent = msg('skm.note', {
    respondents: num(skm.respondents), sample: num(skm.sample), population: num(skm.population),
    adequacy: skm.adequate ? msg('adequate').toLowerCase() : msg('inadequate').toLowerCase(),
  });
}

function renderMonitoring(r) {
  const period = r.period && r.period.label ? r.period.label : '';
  $('monitoring-note').textContent = msg('monitoring.note', { period, t: num(r.threshold_percent, 1) });
  const body = $('monitoring-body');
  body.replaceChildren();
  const rows = Array.isArray(r.monitoring) ? r.monitoring : [];
  if (!rows.length) { emptyRow(body, 6); return; }
  const heads = Array.from(document.querySelectorAll('#monitoring-table thead th'), (th) => th.textContent.trim());
  rows.forEach((x) => {
    const tr = h('tr');
    tr.dataset.no = String(x.no);
    if (x.assessment) tr.dataset.assessment = String(x.assessment);
    let verdict;
    if (x.assessment === 'good') verdict = badge('badge-ok', x.assessment_label || '');
    else if (x.assessment === 'bad') verdict = badge('badge-late', x.assessment_label || '');
    else verdict = h('span', 'muted', x.assessment_label || msg('notassessed'));
    const cells = [cell('td', 'num', String(x.no ?? '')), rowHead(x.procedure || ''), cell('td', '', verdict),
      cell('td', 'pre', x.note || ''), cell('td', 'pre', x.action || ''), cell('td', 'initials', x.initials || '')];
    // On a phone the rows stack (CSS); each cell then shows its column name, and the roles
    // keep the table a table for screen readers whatever the display.
    tr.setAttribute('role', 'row');
    cells.forEach((c, i) => {
      c.setAttribute('role', c.tagName === 'TH' ? 'rowheader' : 'cell');
      if (c.tagName === 'TD' && heads[i]) c.dataset.label = heads[i];
    });
    tr.append(...cells);
    body.append(tr);
  });
}

function list(items) {
  return items.length ? items.join('; ') : msg('alt.noitems');
}

// A phone gets the charts drawn for its width (labels stay readable); the link opens the wide one.
const NARROW = window.matchMedia('(max-width: 39.99rem)');
let shownCharts = null;
NARROW.addEventListener('change', () => { if (shownCharts) renderCharts(...shownCharts); });

function renderCharts(r, qs) {
  shownCharts = [r, qs];
  const period = r.period && r.period.label ? r.period.label : '';
  const cats = (r.volume && Array.isArray(r.volume.by_category) ? r.volume.by_category : [])
    .filter((x) => x.count > 0).map((x) => `${x.label} ${num(x.count)}`);
  const steps = (Array.isArray(r.compliance) ? r.compliance : [])
    .map((x) => `${x.label} ${x.percent === null || x.percent === undefined ? msg('nodata').toLowerCase() : pct(x.percent)}`);
  const skm = r.skm || {};
  const nrr = (Array.isArray(skm.nrr) ? skm.nrr : [])
    .map((x) => `${x.name} ${x.nrr === null || x.nrr === undefined ? msg('nodata').toLowerCase() : num(x.nrr, 2)}`);
  const alts = {
    category: msg('alt.category', { period, items: list(cats) }),
    compliance: msg('alt.compliance', { period, t: num(r.threshold_percent, 1), items: list(steps) }),
    skm: msg('alt.skm', { period, items: list(nrr), ikm: skm.converted === null || skm.converted === undefined ? msg('none') : `${num(skm.converted, 2)} (${skm.category || ''})` }),
  };
  CHARTS.forEach((name) => {
    const img = $(`chart-${name}`);
    img.alt = alts[name];
    const src = apiUrl(`/api/reports/charts/${name}.svg?${qs}`);
    const shown = NARROW.matches ? `${src}&size=narrow` : src;
    if (img.getAttribute('src') !== shown) img.src = shown;
    $(`chart-${name}-link`).href = src;
  });
}

// The period the server answered for, so the charts and files match the figures shown.
function periodParams(p, fallback) {
  const out = new URLSearchParams();
  if (p && p.kind === 'range' && DATE.test(String(p.from)) && DATE.test(String(p.to))) {
    out.set('from', p.from);
    out.set('to', p.to);
  } else if (p && KEY.test(String(p.key || ''))) {
    out.set('period', p.key);
  } else {
    return new URLSearchParams(fallback);
  }
  return out;
}

function render(r, params) {
  if (!report || !r.period || report.period.key !== r.period.key) periodChanged();
  report = r;
  const qs = periodParams(r.period, params);
  qs.set('lang', lang());
  $('r-period').textContent = r.period && r.period.label ? r.period.label : '';
  $('r-unit').textContent = r.unit_name || '';
  document.querySelectorAll('[data-unit-name]').forEach((el) => { if (r.unit_name) el.textContent = r.unit_name; });
  $('r-generated').textContent = msg('generated', { time: formatDateTime(r.generated_at, true) });
  renderFigures(r);
  renderCompliance(r);
  renderDurations(r);
  const vol = r.volume || {};
  countTable('vol-category', vol.by_category, (x) => x.label || x.code);
  countTable('vol-unit', vol.by_unit, (x) => x.unit);
  countTable('vol-path', vol.by_path, (x) => x.label || x.code);
  countTable('vol-status', vol.by_status, (x) => x.label || x.code);
  const backlog = r.backlog || {};
  $('backlog-total').textContent = msg('backlog.total', { n: num(backlog.total) });
  countTable('backlog-status', backlog.by_status, (x) => x.label || x.code);
  countTable('backlog-age', backlog.by_age, (x) => x.label || x.code);
  renderStaff(r);
  renderActivity(r);
  renderSkm(r);
  renderMonitoring(r);
  renderCharts(r, qs.toString());
  Object.entries(DOWNLOADS).forEach(([id, file]) => { $(id).href = apiUrl(`/api/reports/${file}?${qs}`); });
  setForm(r.period);
  $('report').hidden = false;
}

function showError(text, withBack) {
  const box = $('r-error');
  box.replaceChildren(h('p', '', text));
  if (withBack) {
    const a = h('a', '', msg('back'));
    a.href = 'index.html';
    box.append(h('p')); box.lastChild.append(a);
  }
  box.hidden = false;
}

async function load(params, { focus, push } = {}) {
  const mine = ++seq; // a newer request (Back, another period) overrides this one
  $('period-submit').disabled = true;
  $('r-status').hidden = false;
  $('r-status').textContent = msg('loading');
  $('r-error').hidden = true;
  let r = null;
  const qs = params.toString();
  try { r = await fetchJSON(`/api/reports/summary${qs ? `?${qs}` : ''}`); } catch (e) { r = null; }
  if (mine !== seq) return;
  $('period-submit').disabled = false;
  $('r-status').hidden = true;
  if (r && r.status === 200) {
    // A period the server accepted goes into the URL (Back returns to the previous one).
    if (push && qs !== urlParams().toString()) history.pushState(null, '', `${location.pathname}?${qs}`);
    render(r.data, params);
    if (focus) $('r-period').focus();
    return;
  }
  if (r && r.status === 401) { toSignIn(); return; }
  if (!report) loadOptions().then(showUnitName);
  if (r && r.status === 403) {
    $('report').hidden = true;
    $('period-form').hidden = true;
    showError(msg('forbidden'), true);
    return;
  }
  if (r && r.status === 400) {
    const fields = r.data && r.data.fields && typeof r.data.fields === 'object' ? r.data.fields : {};
    const texts = Object.values(fields).map(String);
    $('period-error').textContent = texts.join(' ') || (r.data && r.data.message) || msg('invalid');
    return;
  }
  if (!r) showError(msg('network'));
  else if (r.status === 429) showError(msg('e429'));
  else if (r.status >= 500) showError(msg('e5xx'));
  else showError((r.data && r.data.message) || msg('generic'));
}

$('p-kind').addEventListener('change', () => showKind($('p-kind').value));
$('period-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const params = formParams();
  if (!params) return;
  load(params, { focus: true, push: true });
});
$('print-report').addEventListener('click', () => window.print());
setupExport(() => (report && report.period && DATE.test(String(report.period.from)) ? { from: report.period.from, to: report.period.to } : null));
window.addEventListener('popstate', () => load(urlParams()));
$('r-period').tabIndex = -1;

ready.then(() => {
  const params = urlParams();
  if (params.has('from') || params.has('to')) setForm({ kind: 'range', from: params.get('from'), to: params.get('to') });
  else if (params.has('period')) {
    const m = KEY.exec(params.get('period'));
    const kind = m[2] ? 'month' : m[3] ? 'quarter' : m[4] ? 'semester' : 'year';
    setForm({ kind, key: params.get('period') });
  } else showKind($('p-kind').value);
  whoami().then((w) => { if (w.staff) showStaff(w.staff); });
  load(params);
});
onLanguageChange(() => {
  whoami().then((w) => { if (w.staff) showStaff(w.staff); });
  if (report) load(urlParams());
  relabel();
});
