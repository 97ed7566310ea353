// TIKet staff ticket detail (staff/ticket.html#<number>): everything the staff API knows about
// one ticket, its conversation (a message to the requester is sent from here) and the
// signed-in member's actions on it (act.js). `?act=<action>` (from an action page that came
// too late) opens that action's form first.
import { fetchJSON, loadOptions, showUnitName, msg, h, timeEl, formatDateTime, ready, onLanguageChange } from '../../js/common.js';
import { whoami, showStaff, toSignIn, duration } from './staff.js';
import { hasMsg, stepLabel, dateCell, renderSteps as stepRows } from '../../js/steps.js';
import { renderThread, messageForm } from '../../js/conversation.js';
import { picker, threadFiles } from '../../js/message-files.js';
import { renderFiles } from '../../js/files.js';
import { renderActions } from './act.js';

const $ = (id) => document.getElementById(id);
let options = null;
let loading = false;
let me = null;
let current = null; // the ticket as last loaded
// The action to open first: asked for once, by the address.
let focusAction = new URLSearchParams(location.search).get('act') || '';

function readNumber() {
  let n = location.hash.replace(/^#/, '');
  try { n = decodeURIComponent(n); } catch (e) { /* keep raw */ }
  return n.trim().toUpperCase();
}

function showError(text) {
  const box = $('t-error');
  box.replaceChildren(h('p', '', text));
  box.hidden = false;
}

function text(v) { return typeof v === 'string' ? v.trim() : (v === null || v === undefined ? '' : String(v)); }

// Append dt/dd pairs for the values that are present.
function fill(dl, rows) {
  dl.replaceChildren();
  rows.forEach(([key, value]) => {
    if (value === null || value === undefined || value === '') return;
    const dt = h('dt', '', msg(`lbl.${key}`));
    const dd = h('dd');
    dd.dataset.field = key;
    if (value instanceof Node) dd.append(value); else { dd.textContent = String(value); dd.classList.add('pre'); }
    dl.append(dt, dd);
  });
}

function link(href, label) {
  const a = h('a', '', label);
  a.href = href;
  return a;
}

function contactLinks(t) {
  const c = t.contact && typeof t.contact === 'object' ? t.contact : {};
  const email = text(t.requester_email);
  const phone = text(t.requester_phone);
  // Built by the server, every part encoded (an address cannot add a Cc).
  const mail = email ? (typeof c.mailto === 'string' ? link(c.mailto, email) : h('span', '', email)) : null;
  let tel = null;
  if (phone) {
    tel = h('span', 'contact-links');
    tel.append(typeof c.tel === 'string' ? link(c.tel, phone) : h('span', '', phone));
    if (typeof c.whatsapp === 'string') {
      const wa = link(c.whatsapp, msg('lbl.whatsapp'));
      wa.className = 'badge badge-ok';
      wa.target = '_blank';
      wa.rel = 'noopener noreferrer';
      wa.dataset.contact = 'whatsapp';
      tel.append(wa);
    }
  }
  return { mail, tel };
}

function person(name, email) {
  const n = text(name);
  const e = text(email);
  if (!n && !e) return null;
  const span = h('span', '', n || e);
  if (n && e) span.append(' ', h('span', 'muted small', `(${e})`));
  return span;
}



function renderHistory(history) {
  const list = $('t-history');
  list.replaceChildren();
  if (!history.length) { list.append(h('li', 'muted', msg('nohistory'))); return; }
  history.forEach((e) => {
    if (!e || typeof e !== 'object') return;
    const li = h('li');
    if (e.action) li.dataset.action = String(e.action);
    if (e.at) li.append(timeEl(e.at, false));
    const from = e.from_label || e.from || '';
    const to = e.to_label || e.to || '';
    const change = h('span', 'change', e.action_label ? `${e.action_label}: ` : '');
    change.append(from && to ? `${from} → ${to}` : (to || from));
    li.append(change);
    const actor = text(e.actor_name);
    if (actor || e.actor_email) {
      const who = actor ? (e.role_label ? `${actor} (${e.role_label})` : actor) : text(e.actor_email);
      const by = h('span', 'muted', ` ${msg('by', { name: who })}`);
      if (actor && e.actor_email) by.append(` · ${e.actor_email}`);
      li.append(by);
    }
    if (text(e.note)) li.append(h('p', 'note', String(e.note)));
    list.append(li);
  });
}

function renderSurvey(survey) {
  const section = $('t-survey');
  if (!survey || typeof survey !== 'object' || !survey.answers) { section.hidden = true; return; }
  const items = options && Array.isArray(options.skm) ? options.skm : [];
  const body = $('t-survey-body');
  body.replaceChildren();
  const codes = Object.keys(survey.answers).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  codes.forEach((code, i) => {
    const value = survey.answers[code];
    const unsur = items.find((u) => u && u.code === code) || null;
    const tr = h('tr');
    tr.dataset.unsur = code;
    tr.append(h('td', 'num', String(i + 1)));
    const th = h('th', '', unsur && unsur.name ? unsur.name : code);
    th.scope = 'row';
    tr.append(th);
    const labels = unsur && Array.isArray(unsur.labels) ? unsur.labels : [];
    const label = Number.isInteger(value) && labels[value - 1] ? ` — ${labels[value - 1]}` : '';
    tr.append(h('td', '', `${value}${label}`));
    body.append(tr);
  });
  $('t-survey-at').textContent = survey.submitted_at ? msg('survey.at', { time: formatDateTime(survey.submitted_at, false) }) : '';
  const suggestion = text(survey.suggestion);
  $('t-suggestion').textContent = suggestion || msg('nosuggestion');
  $('t-suggestion').classList.toggle('muted', !suggestion);
  section.hidden = false;
}

function render(t) {
  current = t;
  $('t-number').textContent = t.number || '';
  document.title = `${t.number || ''} — TIKet`;
  const badge = $('t-status');
  const code = String(t.status || '').replace(/[^a-z_]/g, '');
  badge.className = `badge badge-status${code ? ` status-${code}` : ''}`;
  badge.dataset.status = code;
  badge.textContent = t.status_label || t.status || '';
  const steps = Array.isArray(t.steps) ? t.steps : [];
  const breaches = Array.isArray(t.breaches) ? t.breaches : [];
  const late = steps.filter((s) => s && s.breached).map((s) => s.step);
  breaches.forEach((b) => { if (!late.includes(b)) late.push(b); });
  $('t-late').hidden = late.length === 0;
  $('t-subject').textContent = t.subject || '';

  fill($('t-summary'), [
    ['category', t.category_label || t.category],
    ['created', t.created_at ? timeEl(t.created_at, false) : null],
    ['path', t.path && hasMsg(`path.${t.path}`) ? msg(`path.${t.path}`) : null],
    ['breaches', late.length ? late.map((s) => stepLabel(s)).join(', ') : null],
  ]);
  const contact = contactLinks(t);
  fill($('t-requester'), [
    ['requester_name', text(t.requester_name)],
    ['requester_email', contact.mail],
    ['requester_phone', contact.tel],
    ['requester_nip', text(t.requester_nip)],
    ['unit', text(t.unit)],
    ['location', text(t.location)],
    ['asset_tag', text(t.asset_tag)],
  ]);
  fill($('t-handling'), [
    // `assignee` is who holds the ticket now; the ICT member of record is `tik_assignee`.
    ['holder', person(t.assignee_name, t.assignee)],
    ['assignee', person(t.tik_assignee_name, t.tik_assignee)],
    ['repair_assignee', person(t.repair_assignee_name, t.repair_assignee)],
    ['diagnosis', text(t.diagnosis)],
    ['estimate', Number.isFinite(t.estimate_minutes) ? duration(t.estimate_minutes) : null],
    ['hold_reason', text(t.hold_reason)],
    ['resolution', text(t.resolution)],
    ['cancel_reason', text(t.cancel_reason)],
    ['resolved_at', t.resolved_at ? timeEl(t.resolved_at, false) : null],
    ['closed_at', t.closed_at ? timeEl(t.closed_at, false) : null],
  ]);
  if (!$('t-handling').children.length) $('t-handling').append(h('dd', 'muted', msg('none')));
  $('t-description').textContent = t.description || '';
  $('files-card').hidden = !renderFiles($('t-files'), t.attachments, async () => {
    await load();
    return current && current.attachments;
  });
  stepRows($('t-steps-body'), steps, 5, (step) => {
    const start = dateCell(step.started_at);
    start.classList.add('hide-sm');
    const spent = Number.isFinite(step.elapsed_minutes) && (step.started_at || step.done_at);
    const elapsed = h('td', 'num', spent ? duration(step.elapsed_minutes) : msg('none'));
    const due = dateCell(step.due_at);
    if (step.escalation_level >= 2 && !step.done_at) {
      due.append(' ', h('span', 'badge badge-level', msg('level', { n: step.escalation_level })));
    }
    return [start, due, dateCell(step.done_at), elapsed];
  });
  renderActions($('t-actions'), t, {
    focus: focusAction,
    onDone: (next, message) => {
      focusAction = '';
      render(next);
      const done = $('t-acted');
      done.textContent = message || '';
      done.hidden = !message;
      if (message) done.focus();
    },
    onStale: () => { $('t-acted').hidden = true; load(); },
    onSignedOut: toSignIn,
  });
  focusAction = '';
  renderHistory(Array.isArray(t.history) ? t.history : []);
  renderThread($('thread'), t.messages);
  threadFiles($('thread'), t.messages, async () => {
    await load();
    return current && current.messages;
  });
  const over = t.status === 'closed' || t.status === 'cancelled';
  $('message-form').hidden = over;
  $('thread-closed').hidden = !over;
  $('message-files').hidden = !(options && options.attachments);
  renderSurvey(t.survey);
  $('ticket').hidden = false;
}

async function load() {
  const number = readNumber();
  $('t-error').hidden = true;
  if (!number) {
    $('ticket').hidden = true;
    $('t-loaded').textContent = '';
    showError(msg('nonumber'));
    return;
  }
  if (loading) return;
  loading = true;
  $('t-acted').hidden = true;
  $('refresh').disabled = true;
  $('t-loaded').textContent = msg('loading');
  const optionsP = loadOptions();
  let r = null;
  try { r = await fetchJSON(`/api/staff/tickets/${encodeURIComponent(number)}`); } catch (e) { r = null; }
  options = await optionsP;
  showUnitName(options);
  loading = false;
  $('refresh').disabled = false;
  if (r && r.status === 200) {
    render(r.data);
    $('t-loaded').textContent = msg('updated', { time: formatDateTime(new Date().toISOString(), true) });
    return;
  }
  $('t-loaded').textContent = '';
  if (r && r.status === 401) { toSignIn(); return; }
  $('ticket').hidden = true;
  if (!r) showError(msg('network'));
  else if (r.status === 404) { $('t-number').textContent = number; showError(msg('notfound', { number })); }
  else if (r.status === 429) showError(msg('e429'));
  else if (r.status >= 500) showError(msg('e5xx'));
  else showError((r.data && r.data.message) || msg('generic'));
}

$('refresh').addEventListener('click', load);
messageForm({
  form: $('message-form'), textarea: $('message-text'), counter: $('message-count'),
  button: $('message-submit'), status: $('message-status'), error: $('message-error'),
  url: () => `/api/staff/tickets/${encodeURIComponent(readNumber())}/messages`,
  onPosted: () => load(),
  files: picker('message'),
});
window.addEventListener('hashchange', load);
ready.then(() => {
  // The menu fills in while the ticket loads; a 401 from either sends to the sign-in page.
  whoami().then((w) => { if (w.status === 401) return; me = w.staff; showStaff(me); });
  load();
});
onLanguageChange(async () => {
  options = await loadOptions(true);
  if (me) whoami().then((w) => { if (w.staff) { me = w.staff; showStaff(me); } });
  load();
});
