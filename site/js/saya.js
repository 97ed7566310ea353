// The requester's own page (PRODUCT.md §14): a single-use link from the email (#token) opens
// a short session of its own; then their tickets, their data as JSON, and an erasure request.
import { fetchJSON, NetworkError, msg, h, timeEl, ready, onLanguageChange, loadOptions, showUnitName } from './common.js';

const $ = (id) => document.getElementById(id);
let data = null;

function show(section) {
  $('me-open').hidden = section !== 'open';
  $('me-login').hidden = section !== 'login';
  $('me-mine').hidden = section !== 'mine';
}

// The emailed link only offers to open the page: a person presses the button. Mail
// scanners that open (and even run) links must not use up the single-use token.
let offered = '';
function offer(token) {
  offered = token;
  history.replaceState(null, '', location.pathname);  // the token leaves the address bar
  fail('');
  show('open');
  $('me-open-button').focus();
}

function status(text) { $('me-status').textContent = text || ''; }

function fail(text) {
  const box = $('me-error');
  box.textContent = text;
  box.hidden = !text;
  if (text) box.focus();
}

function failure(r) {
  if (r.status === 429) return msg('me.e429');
  return msg('me.error');
}

function render() {
  if (!data) return;
  $('me-who').textContent = data.email;
  const list = $('me-list');
  list.replaceChildren();
  data.tickets.forEach((t) => {
    const li = h('li', 'card me-ticket');
    const head = h('p', 'me-ticket-head');
    head.append(h('strong', 'ticket-number-small', t.number), ' ', h('span', 'badge badge-status', t.status_label));
    if (t.erased) head.append(' ', h('span', 'badge', msg('me.erased')));
    li.append(head, h('p', '', t.subject));
    const when = h('p', 'muted small');
    when.append(`${msg('me.filed')}: `, timeEl(t.created_at, true));
    li.append(when);
    if (t.track_url) {
      const a = h('a', 'btn btn-small', msg('me.track'));
      a.href = t.track_url;
      li.append(a);
    }
    list.append(li);
  });
  $('me-empty').hidden = data.tickets.length > 0;
  const pending = data.erasure;
  $('me-erase-pending').hidden = !pending;
  $('me-erase-form').hidden = !!pending;
  if (pending) {
    const box = $('me-erase-pending');
    const [before, after] = msg('me.pending').split('{time}');
    box.replaceChildren(before, timeEl(pending.requested_at), after || '');
  }
}

async function load() {
  status(msg('me.loading'));
  try {
    const r = await fetchJSON('/api/me/tickets');
    status('');
    if (r.status === 401) { show('login'); return; }
    if (!r.ok) { fail(failure(r)); return; }
    data = r.data;
    show('mine');
    render();
  } catch (e) {
    status('');
    fail(msg(e instanceof NetworkError ? 'me.network' : 'me.error'));
  }
}

async function signIn(token) {
  status(msg('me.signing'));
  try {
    const r = await fetchJSON('/api/me/signin', { method: 'POST', body: { token } });
    if (!r.ok) {
      status('');
      show('login');
      fail(msg({ 409: 'me.used', 410: 'me.expired', 403: 'me.forged' }[r.status] || 'me.error'));
      return;
    }
  } catch (e) {
    status('');
    show('login');
    fail(msg('me.network'));
    return;
  }
  await load();
}

$('me-login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  fail('');
  const input = $('me-email');
  const email = input.value.trim();
  $('me-email-error').textContent = '';
  if (!email || !input.checkValidity()) {
    $('me-email-error').textContent = msg('me.required');
    input.focus();
    return;
  }
  try {
    const r = await fetchJSON('/api/me/login', { method: 'POST', body: { email } });
    if (r.status !== 202) { fail(failure(r)); return; }
    const sent = $('me-sent');
    sent.textContent = r.data.message || '';
    sent.hidden = false;
  } catch (e) {
    fail(msg('me.network'));
  }
});

$('me-erase-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  fail('');
  const reason = $('me-reason').value.trim();
  try {
    const r = await fetchJSON('/api/me/erasure', { method: 'POST', body: reason ? { reason } : {} });
    if (r.status === 401) { show('login'); return; }
    if (r.status !== 202) { fail(failure(r)); return; }
    data.erasure = r.data.erasure;
    render();
    $('me-erase-pending').focus();
  } catch (e) {
    fail(msg('me.network'));
  }
});

$('me-logout').addEventListener('click', async () => {
  try { await fetchJSON('/api/me/logout', { method: 'POST' }); } catch (e) { /* the cookie expires anyway */ }
  data = null;
  show('login');
});

$('me-open-button').addEventListener('click', () => {
  const token = offered;
  offered = '';
  if (token) signIn(token);
});

$('me-erase-pending').tabIndex = -1;
// The emailed link opened in the tab already showing this page: only the fragment changes.
window.addEventListener('hashchange', () => {
  const token = location.hash.slice(1);
  if (token) offer(token);
});
onLanguageChange(() => { if (data) load(); });
loadOptions().then(showUnitName);
ready.then(() => {
  const token = location.hash.slice(1);
  if (token) offer(token); else load();
});
