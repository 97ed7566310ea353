// TIKet staff home (staff/index.html): the sign-in form without a session, the queue with one.
// Filters live in the URL query (?status=&assignee=&late=1) so a reload or a bookmark keeps them.
import { fetchJSON, loadOptions, showUnitName, msg, h, timeEl, formatDateTime, ready, onLanguageChange } from '../../js/common.js';
import { whoami, showStaff, rememberQueue } from './staff.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 120000;

let me = null;
let loading = false;
let seq = 0; // the newest queue request
let loginBusy = false;

function view(name) {
  document.querySelectorAll('#page-title [data-view]').forEach((el) => { el.hidden = el.dataset.view !== name; });
  $('signin-section').hidden = name !== 'signin';
  $('queue-section').hidden = name !== 'queue';
  if (name !== 'loading') $('page-status').hidden = true;
}

function showError(text) {
  const box = $('page-error');
  box.replaceChildren(h('p', '', text));
  box.hidden = false;
}
function hideError() { $('page-error').hidden = true; $('page-error').replaceChildren(); }

function failureText(r) {
  if (!r) return msg('network');
  if (r.status === 429) return msg('e429');
  if (r.status >= 500) return msg('e5xx');
  return (r.data && r.data.message) || msg('generic');
}

// ---- filters <-> URL ------------------------------------------------------------------------
function hasOption(select, value) { return Array.from(select.options).some((o) => o.value === value); }

function readFilters() {
  const q = new URLSearchParams(location.search);
  const status = q.get('status') || '';
  const assignee = q.get('assignee') || '';
  $('f-status').value = hasOption($('f-status'), status) ? status : '';
  if (assignee && !hasOption($('f-assignee'), assignee) && assignee.includes('@') && assignee.length <= 254) {
    const o = document.createElement('option');
    o.value = assignee;
    o.textContent = assignee;
    $('f-assignee').append(o);
  }
  $('f-assignee').value = hasOption($('f-assignee'), assignee) ? assignee : '';
  $('f-late').checked = q.get('late') === '1';
}

function filterQuery() {
  const q = new URLSearchParams();
  if ($('f-status').value) q.set('status', $('f-status').value);
  if ($('f-assignee').value) q.set('assignee', $('f-assignee').value);
  if ($('f-late').checked) q.set('late', '1');
  return q.toString();
}

function writeFilters() {
  const qs = filterQuery();
  history.replaceState(null, '', `${location.pathname}${qs ? `?${qs}` : ''}`);
  rememberQueue(qs);
}

// ---- queue ----------------------------------------------------------------------------------
function stepLabel(code) {
  return document.querySelector(`[data-msg="step.${code}"]`) ? msg(`step.${code}`) : String(code);
}

function holderName(t) {
  if (!t.holder) return null;
  return t.holder_name || t.holder;
}

function meta(label, content) {
  const div = h('div');
  div.append(h('dt', '', label));
  const dd = h('dd');
  if (Array.isArray(content)) dd.append(...content); else dd.append(content);
  div.append(dd);
  return div;
}

function renderItem(t) {
  const li = h('li', 'q-item');
  const number = String(t.number || '');
  li.dataset.number = number;
  li.dataset.status = String(t.status || '');
  if (t.late) { li.classList.add('is-late'); li.dataset.late = 'true'; }

  const head = h('div', 'q-head');
  const a = h('a', 'q-number', number);
  a.href = `ticket.html#${encodeURIComponent(number)}`;
  head.append(a);
  const code = String(t.status || '').replace(/[^a-z_]/g, '');
  head.append(h('span', `badge badge-status${code ? ` status-${code}` : ''}`, t.status_label || t.status || ''));
  if (t.late) head.append(h('span', 'badge badge-late', msg('late')));
  if (t.escalation_level >= 2) {
    li.dataset.level = String(t.escalation_level);
    head.append(h('span', 'badge badge-level', msg('level', { n: t.escalation_level })));
  }
  if (t.repeat_count) {
    const repeat = h('span', 'badge badge-repeat', msg('repeat'));
    repeat.title = msg('repeat.detail', { n: t.repeat_count });
    head.append(repeat);
  }
  li.append(head);
  li.append(h('p', 'q-subject', t.subject || ''));

  const dl = h('dl', 'q-meta');
  const step = t.current_step && typeof t.current_step === 'object' ? t.current_step : null;
  const stepText = [h('span', '', step ? (step.label || stepLabel(step.step)) : msg('none'))];
  // Late at earlier steps too? Name them; the current step's lateness is the badge above.
  const lateSteps = (Array.isArray(t.late_steps) ? t.late_steps : []).filter((x) => !step || x !== step.step);
  if (lateSteps.length) {
    stepText.push(h('span', 'hint', msg('latesteps', { steps: lateSteps.map(stepLabel).join(', ') })));
  }
  dl.append(meta(msg('col.step'), stepText));
  const due = [];
  if (step && step.due_at) {
    const when = timeEl(step.due_at, true);
    if (step.breached) when.classList.add('overdue');
    due.push(when);
  } else due.push(msg('none'));
  if (step && step.on_hold) due.push(' ', h('span', 'badge badge-status status-on_hold', msg('paused')));
  dl.append(meta(msg('col.due'), due));
  const place = [t.unit, t.location].filter((x) => typeof x === 'string' && x.trim()).join(' · ');
  dl.append(meta(msg('col.place'), place || msg('none')));
  const holder = holderName(t);
  const who = [];
  if (holder) {
    who.push(h('span', '', holder));
    if (me && t.holder === me.email) who.push(' ', h('strong', '', msg('you')));
  } else {
    who.push(h('span', 'muted', msg('pool')));
  }
  dl.append(meta(msg('col.holder'), who));
  li.append(dl);
  return li;
}

function renderQueue(data) {
  const rows = Array.isArray(data.tickets) ? data.tickets : [];
  const count = Number.isFinite(data.count) ? data.count : rows.length;
  $('queue-count').textContent = msg('count', { n: count });
  $('queue-list').replaceChildren(...rows.filter((t) => t && typeof t === 'object').map(renderItem));
  $('queue-empty').hidden = rows.length > 0;
  $('queue-updated').textContent = msg('updated', { time: formatDateTime(new Date().toISOString(), true) });
}

// Every call asks again; an answer overtaken by a newer request (filters changed
// meanwhile) is dropped, so the list always matches the filters shown.
async function loadQueue({ quiet } = {}) {
  if (quiet && loading) return;
  const mine = ++seq;
  loading = true;
  $('queue-refresh').disabled = true;
  if (!quiet) $('queue-updated').textContent = msg('loading');
  const qs = filterQuery();
  let r = null;
  try { r = await fetchJSON(`/api/staff/queue${qs ? `?${qs}` : ''}`); } catch (e) { r = null; }
  if (mine !== seq) return;
  loading = false;
  $('queue-refresh').disabled = false;
  if (r && r.status === 200) { hideError(); renderQueue(r.data); return; }
  $('queue-updated').textContent = '';
  if (r && r.status === 401) { me = null; showStaff(null); view('signin'); return; }
  showError(failureText(r));
}

// ---- sign-in link ---------------------------------------------------------------------------
function setLoginBusy(on) {
  loginBusy = on;
  $('login-submit').disabled = on;
  $('login-idle').hidden = on;
  $('login-busy').hidden = !on;
}

async function requestLink(ev) {
  ev.preventDefault();
  if (loginBusy) return;
  const input = $('login-email');
  const email = input.value.trim();
  const err = $('login-email-error');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    err.textContent = msg('email.invalid');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  err.textContent = '';
  input.removeAttribute('aria-invalid');
  hideError();
  setLoginBusy(true);
  let r = null;
  try { r = await fetchJSON('/api/auth/login', { method: 'POST', body: { email } }); } catch (e) { r = null; }
  setLoginBusy(false);
  if (r && r.status === 202) {
    $('login-sent-message').textContent = (r.data && r.data.message) || '';
    $('login-sent').hidden = false;
    $('login-sent').focus();
    return;
  }
  if (r && r.status === 400 && r.data && r.data.fields && r.data.fields.email) {
    err.textContent = String(r.data.fields.email);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  showError(failureText(r));
  $('page-error').focus();
}

// ---- start --------------------------------------------------------------------------------
async function start() {
  readFilters();
  rememberQueue(filterQuery());
  loadOptions().then(showUnitName);
  // The session check and the queue go out together: one round trip for a signed-in person.
  const qs = filterQuery();
  const queueP = fetchJSON(`/api/staff/queue${qs ? `?${qs}` : ''}`).catch(() => null);
  // Both answers before anything shows: the page fills once, without shifting.
  const [who, r] = await Promise.all([whoami(), queueP]);
  if (who.status === 401) {
    showStaff(null);
    view('signin');
    return;
  }
  if (who.status !== 200) {
    showStaff(null);
    view('loading');
    $('page-status').hidden = true;
    showError(failureText(who.status ? { status: who.status, data: {} } : null));
    return;
  }
  me = who.staff;
  showStaff(me);
  view('queue');
  if (seq) return; // the filters changed meanwhile: a newer request is on its way
  if (r && r.status === 200) renderQueue(r.data); else loadQueue();
}

$('queue-filters').addEventListener('change', () => { writeFilters(); loadQueue(); });
$('queue-filters').addEventListener('submit', (ev) => { ev.preventDefault(); writeFilters(); loadQueue(); });
$('queue-refresh').addEventListener('click', () => loadQueue());
$('login-form').addEventListener('submit', requestLink);
window.addEventListener('popstate', () => { readFilters(); if (me) loadQueue(); });
setInterval(() => {
  if (me && !$('queue-section').hidden && document.visibilityState === 'visible') loadQueue({ quiet: true });
}, REFRESH_MS);

ready.then(start);
onLanguageChange(() => {
  loadOptions(true).then(showUnitName);
  if (me) {
    whoami().then((w) => { if (w.staff) { me = w.staff; showStaff(me); } });
    loadQueue({ quiet: true });
  }
});
