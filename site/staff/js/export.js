// TIKet reports (staff/reports.html): the request list of the period shown, exported as a
// background job — POST /api/reports/exports, then GET /api/reports/exports/<id> until it is
// done — with its progress and the signed download link. The link is valid 15 minutes: a
// click on an older one asks the server for a fresh link first.
import { fetchJSON, msg } from '../../js/common.js';
import { num, toSignIn } from './staff.js';

const $ = (id) => document.getElementById(id);
const POLL_MS = 1500;
const FRESH_MS = 12 * 60 * 1000;
let job = null; // {id, at: when the link was fetched, status}
let timer = 0;
let periodOf = () => null;

function show(state) {
  const box = $('export-job');
  const bar = $('export-bar');
  const link = $('export-link');
  box.hidden = false;
  bar.value = state.status === 'done' ? 100 : Number(state.progress) || 0;
  let text;
  if (state.status === 'queued') text = msg('export.queued');
  else if (state.status === 'running') text = msg('export.running', { rows: num(state.rows), pct: num(state.progress, 1) });
  else if (state.status === 'done') text = msg('export.done', { rows: num(state.rows) });
  else text = state.error || msg('generic');
  $('export-state').textContent = text;
  const ready = state.status === 'done' && typeof state.url === 'string';
  link.hidden = !ready;
  if (ready) {
    link.href = state.url;
    link.textContent = msg('export.download', { filename: state.filename || '' });
  }
  const finished = state.status === 'done' || state.status === 'failed';
  $('export-start').disabled = !finished;
  bar.hidden = state.status === 'failed';
}

async function poll() {
  clearTimeout(timer);
  if (!job) return;
  const mine = job;
  let r = null;
  try { r = await fetchJSON(`/api/reports/exports/${encodeURIComponent(mine.id)}`); } catch (e) { r = null; }
  if (job !== mine) return; // a newer export (or another period) took over
  if (r && r.status === 200) {
    mine.status = r.data.status;
    mine.at = Date.now();
    show(r.data);
    if (r.data.status === 'queued' || r.data.status === 'running') timer = setTimeout(poll, POLL_MS);
    return;
  }
  if (r && r.status === 401) { toSignIn(); return; }
  if (r && r.status === 404) { job = null; show({ status: 'failed', error: msg('export.lost') }); return; }
  timer = setTimeout(poll, POLL_MS * 2); // offline or a hiccup: keep asking, a little slower
}

async function start(ev) {
  ev.preventDefault();
  const period = periodOf();
  if (!period) return;
  const format = (document.querySelector('#export-form input[name="format"]:checked') || {}).value || 'xlsx';
  $('export-start').disabled = true;
  show({ status: 'queued', progress: 0, rows: 0 });
  let r = null;
  try {
    r = await fetchJSON('/api/reports/exports', { method: 'POST', body: { from: period.from, to: period.to, format } });
  } catch (e) { r = null; }
  if (r && r.status === 202 && r.data.id) {
    job = { id: String(r.data.id), at: 0, status: 'queued' };
    poll();
    return;
  }
  if (r && r.status === 401) { toSignIn(); return; }
  const message = r && r.data && (Object.values(r.data.fields || {})[0] || r.data.message);
  show({ status: 'failed', error: message || msg(r ? 'generic' : 'network') });
}

// An old link has expired: fetch a fresh one, then follow it.
async function refreshed(ev) {
  if (!job || Date.now() - job.at < FRESH_MS) return;
  ev.preventDefault();
  await poll();
  const link = $('export-link');
  if (!link.hidden) location.href = link.href;
}

// ``getPeriod()`` gives {from, to} (YYYY-MM-DD) of the report shown.
export function setupExport(getPeriod) {
  periodOf = getPeriod;
  $('export-form').addEventListener('submit', start);
  $('export-link').addEventListener('click', refreshed);
}

// Another period is shown: a job of the previous one no longer belongs on the page.
export function periodChanged() {
  job = null;
  clearTimeout(timer);
  $('export-job').hidden = true;
  $('export-start').disabled = false;
}

// The language changed: say the same state in the new language.
export function relabel() {
  if (job) poll();
}
