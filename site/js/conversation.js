// TIKet conversation (PRODUCT.md §10): the thread of messages and the form that adds one
// (tracking page and staff ticket page), the "Masalah belum teratasi" choice and the
// lost-link form (tracking page). Every text a person wrote goes in as textContent.
import { fetchJSON, uuid, msg, h, timeEl, NetworkError } from './common.js';

// Messages oldest first; staff by name and role.
export function renderThread(list, messages) {
  list.replaceChildren();
  const rows = Array.isArray(messages) ? messages.filter((m) => m && typeof m === 'object') : [];
  if (!rows.length) { list.append(h('li', 'muted thread-empty', msg('thread.empty'))); return; }
  rows.forEach((m) => {
    const staff = m.from === 'staff';
    const li = h('li', `msg ${staff ? 'msg-staff' : 'msg-requester'}`);
    li.dataset.from = staff ? 'staff' : 'requester';
    if (typeof m.id === 'string') li.dataset.id = m.id;
    const head = h('p', 'msg-head');
    head.append(h('strong', '', String(m.name || '')));
    if (m.role_label) head.append(' ', h('span', 'muted', `(${m.role_label})`));
    if (m.via === 'email') head.append(' ', h('span', 'badge badge-neutral', msg('thread.by_email')));
    li.append(head);
    if (m.at) li.append(timeEl(m.at, false));
    li.append(h('p', 'msg-text', String(m.text || '')));
    // Its files are filled in by message-files.js threadFiles (loaded only when there are).
    if (Array.isArray(m.attachments) && m.attachments.length && typeof m.id === 'string') {
      const ul = h('ul', 'files msg-files');
      ul.dataset.files = m.id;
      li.append(ul);
    }
    list.append(li);
  });
}

function say(box, text, ok) {
  box.className = `alert ${ok ? 'alert-success' : 'alert-error'}`;
  box.textContent = text;
  box.hidden = false;
}

function counterOf(textarea, counter) {
  const update = () => {
    const max = textarea.maxLength > 0 ? textarea.maxLength : 2000;
    counter.textContent = msg('counter', { n: textarea.value.length, max });
    counter.classList.toggle('over', textarea.value.length > max);
  };
  textarea.addEventListener('input', update);
  return update;
}

// A form that sends one message. One Idempotency-Key per message: kept while the same text
// is sent again (a double click, a retry after the answer was lost), new once it is stored
// or the text changes, so one message is never made twice and two are never merged.
// ``files``: the form's photo and file picker (message-files.js picker), if it has one.
export function messageForm({ form, textarea, counter, button, status, error, url, onPosted, files }) {
  let key = uuid();
  let lastSent = ''; // the body last sent with ``key``
  let busy = false;
  const count = counterOf(textarea, counter);
  textarea.addEventListener('input', () => { key = uuid(); lastSent = ''; error.textContent = ''; textarea.removeAttribute('aria-invalid'); });
  count();
  const fieldError = (text) => {
    error.textContent = text;
    textarea.setAttribute('aria-invalid', 'true');
    textarea.focus();
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    status.hidden = true;
    const text = textarea.value.trim();
    if (!text) { fieldError(msg('thread.required')); return; }
    if (files && files.pending()) { say(status, msg('files.wait'), false); return; }
    const body = { text };
    if (files) body.attachments = files.ids();
    // The same text with other files is another message: a new key.
    const sent = JSON.stringify(body);
    if (lastSent && sent !== lastSent) key = uuid();
    lastSent = sent;
    busy = true;
    button.disabled = true;
    let r = null;
    try {
      r = await fetchJSON(url(), { method: 'POST', body, headers: { 'Idempotency-Key': key } });
    } catch (e) {
      say(status, msg(e instanceof NetworkError ? 'thread.network' : 'thread.error'), false);
    } finally {
      busy = false;
      button.disabled = false;
    }
    if (!r) return;
    if (r.status === 201 || r.status === 200) {
      textarea.value = '';
      key = uuid();
      lastSent = '';
      if (files) files.clear();
      count();
      say(status, msg('thread.sent'), true);
      onPosted(r.data);
      return;
    }
    const data = r.data || {};
    if (r.status === 400 && data.fields && data.fields.text) { key = uuid(); fieldError(String(data.fields.text)); return; }
    const fileField = r.status === 400 && data.fields && Object.keys(data.fields).find((f) => f.startsWith('attachments'));
    if (fileField && files) {
      files.showError(fileField, String(data.fields[fileField]));
      say(status, String(data.message || msg('thread.error')), false);
      return;
    }
    if (r.status === 429) say(status, msg('e429'), false);
    else if (r.status >= 500) say(status, msg('thread.error'), false);
    else say(status, String(data.message || msg('thread.error')), false);
  });
}

// "Masalah belum teratasi": shown while the ticket is resolved and the survey not filled.
export function reopenForm({ form, textarea, counter, button, status, error, url, onDone }) {
  let busy = false;
  counterOf(textarea, counter)();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    status.hidden = true;
    error.textContent = '';
    const reason = textarea.value.trim();
    if (!reason) { error.textContent = msg('thread.required'); textarea.focus(); return; }
    busy = true;
    button.disabled = true;
    let r = null;
    try {
      r = await fetchJSON(url(), { method: 'POST', body: { reason } });
    } catch (e) {
      say(status, msg('reopen.network'), false);
    } finally {
      busy = false;
      button.disabled = false;
    }
    if (!r) return;
    if (r.status === 200) { textarea.value = ''; onDone(r.data); return; }
    const data = r.data || {};
    if (r.status === 400 && data.fields && data.fields.reason) { error.textContent = String(data.fields.reason); textarea.focus(); return; }
    say(status, String(data.message || msg('reopen.error')), false);
  });
}

// Lost-link recovery: the same answer whether or not the number and address match.
export function lookupForm({ form, number, email, button, status }) {
  let busy = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    const body = { number: number.value.trim(), email: email.value.trim() };
    if (!body.number || !body.email) { say(status, msg('lookup.required'), false); return; }
    busy = true;
    button.disabled = true;
    let r = null;
    try {
      r = await fetchJSON('/api/track/lookup', { method: 'POST', body });
    } catch (e) {
      say(status, msg('network'), false);
    } finally {
      busy = false;
      button.disabled = false;
    }
    if (!r) return;
    if (r.status === 202) { say(status, String((r.data && r.data.message) || msg('lookup.sent')), true); return; }
    if (r.status === 429) say(status, msg('e429'), false);
    else say(status, String((r.data && r.data.message) || msg('generic')), false);
  });
}
