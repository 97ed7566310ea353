// TIKet — the tracking page: track.html#<token>. The token stays in the fragment so it
// never reaches a server log; only the API call carries it.
import { fetchJSON, loadOptions, showUnitName, msg, h, timeEl, formatDateTime, ready, onLanguageChange, NetworkError } from './common.js';
import { dateCell, renderSteps as stepRows } from './steps.js';
import { renderThread, messageForm, reopenForm, lookupForm } from './conversation.js';
import { picker, threadFiles } from './message-files.js';

const $ = (id) => document.getElementById(id);
const UNSUR = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'];
// Optional ticket texts shown when the API sends them (dt[data-detail] + dd#t-<key>).
const DETAILS = ['location', 'assignee_name', 'repair_assignee_name', 'description', 'diagnosis', 'hold_reason', 'resolution', 'cancel_reason'];

let token = '';
let ticket = null;       // last ticket answer
let options = null;      // /api/options
let loading = false;
let surveyBusy = false;

function readToken() {
  let t = location.hash.replace(/^#/, '');
  try { t = decodeURIComponent(t); } catch (e) { /* keep raw */ }
  return t.trim();
}


function showError(title, text) {
  const box = $('track-error');
  box.replaceChildren(h('p', text ? 'alert-title' : '', title));
  if (text) box.append(h('p', '', text));
  box.hidden = false;
}

function hideError() { $('track-error').hidden = true; $('track-error').replaceChildren(); }

function categoryLabel(t) {
  if (typeof t.category_label === 'string' && t.category_label) return t.category_label;
  const c = t.category;
  if (c && typeof c === 'object') return c.label || c.code || '';
  const cats = options && Array.isArray(options.categories) ? options.categories : [];
  const found = cats.find((x) => x && x.code === c);
  return found ? String(found.label || found.code) : String(c || '');
}




function renderHistory(history) {
  const list = $('t-history');
  list.replaceChildren();
  history.forEach((e) => {
    if (!e || typeof e !== 'object') return;
    const li = h('li');
    const at = e.at || e.time || e.created_at || e.timestamp;
    if (at) li.append(timeEl(at, false));
    const from = e.from_label || e.from || '';
    const to = e.to_label || e.to || '';
    // A change that keeps the status (a message, a reminder) says what it was instead.
    const same = e.from && e.from === e.to && e.action_label;
    li.append(h('span', 'change', same ? e.action_label : (from && to ? `${from} → ${to}` : (to || from))));
    const actor = e.actor_name || e.actor;
    const role = e.role_label;
    if (actor) li.append(h('span', 'muted', ` ${msg('by', { name: role ? `${actor} (${role})` : actor })}`));
    if (e.note) li.append(h('p', 'note', String(e.note)));
    list.append(li);
  });
}

// ---- survey ----------------------------------------------------------------------------
function buildSurvey() {
  const box = $('survey-questions');
  const keep = {};
  box.querySelectorAll('input[type="radio"]:checked').forEach((r) => { keep[r.name] = r.value; });
  box.replaceChildren();
  const items = options && Array.isArray(options.skm) ? options.skm : [];
  if (!items.length) return false;
  items.forEach((u, i) => {
    if (!u || typeof u.code !== 'string') return;
    const code = u.code;
    const fs = h('fieldset');
    fs.id = `q-${code}`;
    fs.dataset.unsur = code;
    fs.append(h('legend', '', `${i + 1}. ${u.name || code}`));
    const describedBy = [];
    if (u.question) {
      const q = h('p', 'hint', u.question);
      q.id = `${code}-question`;
      describedBy.push(q.id);
      fs.append(q);
    }
    const choices = h('div', 'choices');
    const labels = Array.isArray(u.labels) ? u.labels : [];
    [1, 2, 3, 4].forEach((v) => {
      const lab = h('label', 'choice');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = code;
      input.value = String(v);
      input.id = `${code}-${v}`;
      input.required = true;
      if (keep[code] === String(v)) input.checked = true;
      lab.append(input, h('span', '', labels[v - 1] !== undefined ? String(labels[v - 1]) : String(v)));
      choices.append(lab);
    });
    fs.append(choices);
    const err = h('span', 'field-error');
    err.id = `${code}-error`;
    describedBy.push(err.id);
    fs.setAttribute('aria-describedby', describedBy.join(' '));
    fs.append(err);
    box.append(fs);
  });
  return true;
}

function updateSaranCounter() {
  const t = $('saran');
  const max = t.maxLength > 0 ? t.maxLength : 1000;
  const c = $('saran-count');
  c.textContent = msg('counter', { n: t.value.length, max });
  c.classList.toggle('over', t.value.length > max);
}

function surveyAlert(text, items) {
  const box = $('survey-alert');
  box.replaceChildren(h('p', items ? 'alert-title' : '', text));
  if (items && items.length) {
    const ul = h('ul');
    items.forEach((li) => ul.append(li));
    box.append(ul);
  }
  box.hidden = false;
}

function clearSurveyErrors() {
  $('survey-alert').hidden = true;
  $('survey-alert').replaceChildren();
  document.querySelectorAll('#survey-form .field-error').forEach((e) => { e.textContent = ''; });
  document.querySelectorAll('#survey-form fieldset').forEach((f) => f.classList.remove('has-error'));
  $('saran').removeAttribute('aria-invalid');
}

function renderSurvey(survey) {
  const s = survey && typeof survey === 'object' ? survey : {};
  const section = $('survey');
  const done = $('survey-done');
  if (s.submitted) {
    section.hidden = true;
    done.hidden = false;
    return;
  }
  done.hidden = true;
  if (!s.open) { section.hidden = true; return; }
  section.hidden = false;
  const closes = $('survey-closes');
  closes.hidden = !s.closes_at;
  closes.textContent = s.closes_at ? msg('skm.closes', { time: formatDateTime(s.closes_at, false) }) : '';
  if (!$('survey-questions').children.length && !buildSurvey()) {
    $('survey-form').hidden = true;
    surveyAlert(msg('skm.noform'));
  } else {
    $('survey-form').hidden = false;
  }
}

function setSurveySending(on) {
  surveyBusy = on;
  $('survey-submit').disabled = on;
  $('survey-idle').hidden = on;
  $('survey-busy').hidden = !on;
}

function showSurveyFieldErrors(data) {
  const fields = data && data.fields && typeof data.fields === 'object' ? data.fields : {};
  const items = [];
  let first = null;
  const keys = Object.keys(fields);
  const order = UNSUR.map((u) => `answers.${u}`).concat(['suggestion']);
  keys.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  keys.forEach((k) => {
    const text = String(fields[k]);
    const li = h('li');
    let target = null;
    let label = '';
    const m = /^answers\.(u\d+)$/.exec(k) || (/^u\d+$/.test(k) ? [k, k] : null);
    if (m && $(`q-${m[1]}`)) {
      const fs = $(`q-${m[1]}`);
      fs.classList.add('has-error');
      $(`${m[1]}-error`).textContent = text;
      target = fs.querySelector('input:checked') || fs.querySelector('input');
      label = fs.querySelector('legend').textContent;
    } else if (k === 'suggestion' || k === 'saran') {
      $('suggestion-error').textContent = text;
      $('saran').setAttribute('aria-invalid', 'true');
      target = $('saran');
      label = document.querySelector('label[for="saran"] [data-i18n]').textContent;
    }
    if (target) {
      if (!first) first = target;
      const a = h('a', '', `${label}: ${text}`);
      a.href = `#${target.id}`;
      a.addEventListener('click', (ev) => { ev.preventDefault(); target.focus(); });
      li.append(a);
    } else {
      li.textContent = text;
    }
    items.push(li);
  });
  surveyAlert((data && data.message) || msg('skm.invalid'), items);
  if (first) first.focus(); else $('survey-alert').focus();
}

async function submitSurvey(ev) {
  ev.preventDefault();
  if (surveyBusy) return;
  clearSurveyErrors();
  const answers = {};
  $('survey-questions').querySelectorAll('input[type="radio"]:checked').forEach((r) => {
    answers[r.name] = Number(r.value);
  });
  const body = { answers, suggestion: $('saran').value };
  setSurveySending(true);
  let r;
  try {
    r = await fetchJSON(`/api/track/${encodeURIComponent(token)}/survey`, { method: 'POST', body });
  } catch (e) {
    setSurveySending(false);
    surveyAlert(e instanceof NetworkError ? msg('skm.network') : msg('skm.error'));
    $('survey-alert').focus();
    return;
  }
  setSurveySending(false);
  if (r.status === 201 || r.status === 200) {
    $('survey').hidden = true;
    $('survey-done').hidden = false;
    $('survey-done').focus();
    load({ quiet: true });
    return;
  }
  if (r.status === 400) { showSurveyFieldErrors(r.data); return; }
  surveyAlert((r.data && r.data.message) || msg(r.status >= 500 ? 'e5xx' : 'skm.error'));
  $('survey-alert').focus();
}

// ---- ticket ------------------------------------------------------------------------------
// The gallery's code loads only for a ticket that has files.
function renderAttachments(files) {
  if (!Array.isArray(files) || !files.length) { $('files-card').hidden = true; return; }
  import('./files.js').then(({ renderFiles }) => {
    $('files-card').hidden = !renderFiles($('t-files'), files, async () => {
      await load({ quiet: true });
      return ticket && ticket.attachments;
    });
  });
}

function render() {
  const t = ticket;
  $('t-number').textContent = t.number || '';
  const badge = $('t-status');
  const code = String(t.status || '').replace(/[^a-z_]/g, '');
  badge.className = `badge badge-status${code ? ` status-${code}` : ''}`;
  badge.dataset.status = code;
  badge.textContent = t.status_label || t.status || '';
  $('t-subject').textContent = t.subject || '';
  $('t-category').textContent = categoryLabel(t);
  $('t-created').replaceChildren(timeEl(t.created_at, false));
  DETAILS.forEach((key) => {
    const v = typeof t[key] === 'string' ? t[key].trim() : '';
    const dd = $(`t-${key}`);
    dd.textContent = v;
    dd.hidden = !v;
    document.querySelector(`dt[data-detail="${key}"]`).hidden = !v;
  });
  stepRows($('t-steps-body'), Array.isArray(t.steps) ? t.steps : [], 3, (step) => [dateCell(step.due_at), dateCell(step.done_at)]);
  const due = t.handling_due_at;
  $('t-handling_due_at').replaceChildren(...(due ? [timeEl(due, false)] : []));
  $('t-handling_due_at').hidden = !due;
  document.querySelector('dt[data-detail="handling_due_at"]').hidden = !due;
  renderAttachments(t.attachments);
  renderHistory(Array.isArray(t.history) ? t.history : []);
  renderSurvey(t.survey);
  renderConversation(t);
  $('ticket').hidden = false;
}

// The thread and its form (none once closed or cancelled), and the reopen choice.
function renderConversation(t) {
  renderThread($('thread'), t.messages);
  threadFiles($('thread'), t.messages, async () => {
    await load({ quiet: true });
    return ticket && ticket.messages;
  });
  const over = t.status === 'closed' || t.status === 'cancelled';
  $('message-form').hidden = over;
  $('thread-closed').hidden = !over;
  $('message-files').hidden = !(options && options.attachments);
  const reopen = t.reopen && typeof t.reopen === 'object' ? t.reopen : {};
  $('reopen').hidden = !reopen.open;
  $('reopen-until').hidden = !reopen.until;
  $('reopen-until').textContent = reopen.until ? msg('reopen.until', { time: formatDateTime(reopen.until, false) }) : '';
}

async function load({ quiet } = {}) {
  token = readToken();
  if (!token) {
    $('track-toolbar').hidden = true;
    $('ticket').hidden = true;
    hideError();
    $('no-token').hidden = false;
    return;
  }
  if (loading) return;
  loading = true;
  $('track-toolbar').hidden = false;
  $('refresh').disabled = true;
  if (!quiet) $('track-status').textContent = msg('loading');
  const optionsP = loadOptions();
  let r = null;
  let failure = null;
  try {
    r = await fetchJSON(`/api/track/${encodeURIComponent(token)}`);
  } catch (e) {
    failure = e;
  }
  options = await optionsP;
  showUnitName(options);
  loading = false;
  $('refresh').disabled = false;
  if (failure || !r) {
    $('track-status').textContent = '';
    showError(msg('network'));
    return;
  }
  if (r.status === 200) {
    hideError();
    $('no-token').hidden = true;
    ticket = r.data;
    render();
    $('track-status').textContent = msg('updated', { time: formatDateTime(new Date().toISOString(), true) });
    return;
  }
  $('track-status').textContent = '';
  if (r.status === 404) {
    ticket = null;
    $('ticket').hidden = true;
    $('track-toolbar').hidden = true;
    $('no-token').hidden = false;
    showError(msg('notfound'), msg('notfound.text'));
    return;
  }
  if (r.status === 429) showError(msg('e429'));
  else if (r.status >= 500) showError(msg('e5xx'));
  else showError((r.data && r.data.message) || msg('generic'));
}

$('refresh').addEventListener('click', () => load());
window.addEventListener('hashchange', () => {
  ticket = null;
  $('survey-questions').replaceChildren();
  $('saran').value = '';
  clearSurveyErrors();
  load();
});
$('token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const raw = $('token-input').value.trim();
  const t = raw.includes('#') ? raw.slice(raw.indexOf('#') + 1) : raw;
  if (!t) {
    $('token-error').textContent = msg('notoken');
    $('token-input').setAttribute('aria-invalid', 'true');
    $('token-input').focus();
    return;
  }
  $('token-error').textContent = '';
  $('token-input').removeAttribute('aria-invalid');
  if (readToken() === t) load(); else location.hash = t;
});
$('survey-form').addEventListener('submit', submitSurvey);
const part = (name) => ({
  form: $(`${name}-form`), textarea: $(`${name}-text`) || $(`${name}-reason`), counter: $(`${name}-count`),
  button: $(`${name}-submit`), status: $(`${name}-status`), error: $(`${name}-error`),
});
messageForm({
  ...part('message'),
  url: () => `/api/track/${encodeURIComponent(token)}/messages`,
  onPosted: () => load({ quiet: true }),
  files: picker('message'),
});
reopenForm({
  ...part('reopen'),
  url: () => `/api/track/${encodeURIComponent(token)}/reopen`,
  onDone: () => { $('reopen-details').open = false; load({ quiet: true }); },
});
lookupForm({
  form: $('lookup-form'), number: $('lookup-number'), email: $('lookup-email'),
  button: $('lookup-submit'), status: $('lookup-status'),
});
$('saran').addEventListener('input', updateSaranCounter);
$('survey-form').addEventListener('change', (ev) => {
  const fs = ev.target.closest && ev.target.closest('fieldset');
  if (fs && fs.classList.contains('has-error')) {
    fs.classList.remove('has-error');
    const err = $(`${fs.dataset.unsur}-error`);
    if (err) err.textContent = '';
  }
});

ready.then(() => {
  updateSaranCounter();
  load();
});
onLanguageChange(async () => {
  updateSaranCounter();
  options = await loadOptions(true);
  if (options && $('survey-questions').children.length) buildSurvey();
  if (ticket) load({ quiet: true });
});
