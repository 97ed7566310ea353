// TIKet staff devices page (staff/assets.html): admins import the unit's BMN list
// (POST /api/staff/assets/import, multipart, ≤ 4 MB) and see what it did or why rows were
// refused; admins and ICT staff download each location's QR label sheet
// (GET /api/staff/assets/labels.pdf). Every figure shown comes from the server.
import { apiUrl, fetchJSON, loadOptions, showUnitName, lang, msg, h, ready, onLanguageChange } from '../../js/common.js';
import { whoami, showStaff, toSignIn, ASSET_ROLES } from './staff.js';

const $ = (id) => document.getElementById(id);
const MAX_BYTES = 4 * 1024 * 1024;
let me = null;
let busy = false;
let lastReport = null;

function showError(text) {
  const box = $('a-error');
  box.replaceChildren(h('p', '', text));
  box.hidden = false;
  box.focus();
}

function answerText(status, data) {
  if (status === 0) return msg('network');
  if (status === 413) return msg('toobig');
  if (status === 429) return msg('e429');
  if (status >= 500) return msg('e5xx');
  return (data && data.message) || msg('generic');
}

// ---- import -------------------------------------------------------------------------------
function renderReport(report) {
  lastReport = report;
  const ok = report.imported || (report.dry_run && !report.error);
  const box = $('a-report-box');
  box.className = `alert ${ok ? 'alert-success' : 'alert-error'}`;
  $('a-report-message').textContent = report.message || '';
  $('a-report-summary').textContent = report.summary || '';
  $('a-report-summary').hidden = !report.summary;
  const notes = $('a-report-notes');
  notes.replaceChildren();
  (Array.isArray(report.notes) ? report.notes : []).forEach((note) => notes.append(h('li', '', String(note))));
  notes.hidden = !notes.children.length;

  const columns = $('a-columns');
  columns.replaceChildren();
  const mapped = report.columns && typeof report.columns === 'object' ? Object.entries(report.columns) : [];
  mapped.forEach(([field, header]) => columns.append(h('dt', '', msg(`field.${field}`)), h('dd', '', `“${header}”`)));
  $('a-columns-title').textContent = mapped.length ? msg('header', { row: report.header_row }) : '';
  $('a-columns-title').hidden = !mapped.length;
  columns.hidden = !mapped.length;

  const body = $('a-refused');
  body.replaceChildren();
  const rows = Array.isArray(report.refused) ? report.refused : [];
  rows.forEach((row) => {
    const tr = h('tr');
    tr.append(h('td', 'num', String(row.row)), h('td', 'pre', String(row.message || row.code)));
    body.append(tr);
  });
  $('a-refused-wrap').hidden = !rows.length;
  $('a-report').hidden = false;
  $('a-report').focus();
}

async function upload(mode) {
  const input = $('a-file');
  const file = input.files && input.files[0];
  $('a-file-error').textContent = '';
  input.removeAttribute('aria-invalid');
  const problem = !file ? msg('nofile') : file.size > MAX_BYTES ? msg('toobig') : '';
  if (problem) {
    $('a-file-error').textContent = problem;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  const body = new FormData();
  body.append('file', file, file.name);
  body.append('mode', mode);
  if ($('a-keep-absent').checked) body.append('keep_absent', '1');
  if ($('a-skip-refused').checked) body.append('skip_refused', '1');
  busy = true;
  $('a-check').disabled = true;
  $('a-import').disabled = true;
  $('a-busy').textContent = msg('uploading');
  $('a-error').hidden = true;
  let status = 0;
  let data = {};
  try {
    const res = await fetch(apiUrl('/api/staff/assets/import'), {
      method: 'POST', body, credentials: 'same-origin', cache: 'no-store',
      headers: { Accept: 'application/json', 'Accept-Language': lang() },
    });
    status = res.status;
    try { data = await res.json(); } catch (e) { data = {}; }
  } catch (e) {
    status = 0;
  }
  busy = false;
  $('a-check').disabled = false;
  $('a-import').disabled = false;
  $('a-busy').textContent = '';
  if (status === 401) { toSignIn(); return; }
  if ((status === 200 || status === 422) && data && typeof data.message === 'string') {
    renderReport(data);
    if (data.imported) loadLocations();
    return;
  }
  showError(answerText(status, data));
}

$('import-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (busy) return;
  const mode = ev.submitter && ev.submitter.value === 'check' ? 'check' : 'import';
  upload(mode);
});

// ---- labels ---------------------------------------------------------------------------------
function labelHref(key) {
  const q = new URLSearchParams({ location: key, layout: $('l-layout').value });
  const skip = Number.parseInt($('l-skip').value, 10);
  if (Number.isInteger(skip) && skip > 0) q.set('skip', String(skip));
  return apiUrl(`/api/staff/assets/labels.pdf?${q}`);
}

function refreshLinks() {
  const per = $('l-layout').value === 'l7160' ? 21 : 24;
  $('l-skip').max = String(per - 1);
  if (Number($('l-skip').value) > per - 1) $('l-skip').value = String(per - 1);
  document.querySelectorAll('#l-body a[data-key]').forEach((a) => { a.href = labelHref(a.dataset.key); });
}

async function loadLocations() {
  let r;
  try { r = await fetchJSON('/api/assets/locations'); } catch (e) { r = { status: 0, ok: false, data: {} }; }
  if (!r.ok) { showError(answerText(r.status, r.data)); return; }
  const locations = Array.isArray(r.data.locations) ? r.data.locations : [];
  const body = $('l-body');
  body.replaceChildren();
  locations.forEach((loc) => {
    if (!loc || typeof loc.key !== 'string') return;
    const tr = h('tr');
    const th = h('th', '', String(loc.name || ''));
    th.scope = 'row';
    const a = h('a', 'btn btn-secondary btn-small', msg('download'));
    a.dataset.key = loc.key;
    a.href = labelHref(loc.key);
    a.setAttribute('download', '');
    a.setAttribute('aria-label', msg('download.for', { name: String(loc.name || '') }));
    const cell = h('td');
    cell.append(a);
    const count = h('td', 'num', String(Number(loc.devices) || 0));
    count.dataset.label = msg('col.devices');
    tr.append(th, count, cell);
    body.append(tr);
  });
  $('l-empty').hidden = locations.length > 0;
  $('l-wrap').hidden = locations.length === 0;
}

$('l-layout').addEventListener('change', refreshLinks);
$('l-skip').addEventListener('input', refreshLinks);

async function start() {
  loadOptions().then(showUnitName);
  const w = await whoami();
  if (w.status === 401) { toSignIn(); return; }
  $('a-status').hidden = true;
  if (!w.staff) { showError(answerText(w.status, {})); return; }
  me = w.staff;
  showStaff(me);
  if (!ASSET_ROLES.includes(me.role)) { showError(msg('forbidden')); return; }
  $('import-section').hidden = me.role !== 'admin';
  $('labels-section').hidden = false;
  loadLocations();
}

ready.then(start);
onLanguageChange(() => {
  if (!me) return;
  whoami().then((w) => { if (w.staff) showStaff(w.staff); });
  loadLocations();
  if (lastReport) $('a-report').hidden = true; // its words were the server's, in the former language
});
