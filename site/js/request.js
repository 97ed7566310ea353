// TIKet request form (SOP step 3): POST /api/tickets; the server's answer is the truth.
import { fetchJSON, loadOptions, showUnitName, uuid, msg, h, ready, onLanguageChange, NetworkError } from './common.js';

const FIELDS = ['name', 'email', 'nip', 'phone', 'unit', 'location', 'category', 'asset_tag', 'subject', 'description'];
const OPTIONAL = ['nip', 'phone', 'asset_tag'];
const REQUESTER = ['name', 'email', 'nip', 'phone', 'unit', 'location'];
const $ = (id) => document.getElementById(id);
const form = $('request-form');
const alertBox = $('form-alert');
const desc = $('description');

// One Idempotency-Key per form fill: kept when a send may have reached the server
// (network error, 429, 5xx) so a retry or double click cannot file twice; replaced after
// success and after answers that mean nothing was stored (400, 413, 415, 422).
let idemKey = uuid();
let busy = false;
loadOptions();

// Photos and files: the upload code (upload.js) loads with the first file picked, so the
// form itself stays small.
// One list for both inputs, even when two picks come before the code has loaded.
let uploads = null;
let loadingUploads = null;
['file-camera', 'file-pick'].forEach((id) => $(id).addEventListener('change', async (ev) => {
  const picked = Array.from(ev.target.files || []);
  ev.target.value = '';
  if (!picked.length) return;
  if (!loadingUploads) {
    loadingUploads = import('./upload.js').then(({ uploader }) => uploader({
      list: $('upload-list'), status: $('upload-status'), error: $('attachments-error'), pick: $('file-pick'),
    }));
  }
  uploads = await loadingUploads;
  uploads.add(picked);
}));

// Devices (QR labels, the search by location): device.js loads for a label's link
// (?asset=) or with the first touch of the device or location fields.
let devices = null;
const loadDevices = () => { devices = devices || import('./device.js'); };
if (new URLSearchParams(window.location.search).has('asset')) loadDevices();
['asset_tag', 'location'].forEach((id) => $(id).addEventListener('focus', loadDevices, { once: true }));

function updateCounter() {
  const n = desc.value.length;
  const max = desc.maxLength > 0 ? desc.maxLength : 5000;
  $('description-count').textContent = msg('counter', { n, max });
  $('description-count').classList.toggle('over', n > max);
}

async function fillCategories(force) {
  const opts = await loadOptions(force);
  showUnitName(opts);
  $('files').hidden = !(opts && opts.attachments);
  const sel = $('category');
  const cats = opts && Array.isArray(opts.categories) ? opts.categories : [];
  if (!cats.length) {
    if (sel.options.length <= 1) $('category-status').textContent = msg('options');
    return;
  }
  // Client hints follow the server's limits when it publishes them.
  const limits = opts.limits || {};
  FIELDS.forEach((f) => { if (Number.isInteger(limits[f]) && limits[f] > 0) $(f).maxLength = limits[f]; });
  updateCounter();
  const keep = sel.value;
  while (sel.options.length > 1) sel.remove(1);
  cats.forEach((c) => { if (c && typeof c.code === 'string') sel.add(new Option(String(c.label || c.code), c.code)); });
  sel.value = keep;
  $('category-status').textContent = '';
}

function setFieldError(name, text) {
  $(`${name}-error`).textContent = text || '';
  if (text) $(name).setAttribute('aria-invalid', 'true'); else $(name).removeAttribute('aria-invalid');
}

function showAlert(text, items) {
  alertBox.replaceChildren(h('p', items ? 'alert-title' : '', text));
  if (items && items.length) alertBox.append(h('ul'));
  if (items && items.length) items.forEach((li) => alertBox.lastChild.append(li));
  alertBox.hidden = false;
}

function clearErrors() {
  FIELDS.forEach((f) => setFieldError(f, ''));
  $('attachments-error').textContent = '';
  alertBox.hidden = true;
  alertBox.replaceChildren();
}

// 400: each message under its field, a summary with links in the alert, focus on the first.
function showFieldErrors(data) {
  const fields = data.fields && typeof data.fields === 'object' ? data.fields : {};
  const names = Object.keys(fields);
  const ordered = FIELDS.filter((f) => names.includes(f)).concat(names.filter((f) => !FIELDS.includes(f)));
  const items = ordered.map((name) => {
    const text = String(fields[name]);
    const li = h('li');
    if (!FIELDS.includes(name)) {
      li.textContent = text;
      if (name.startsWith('attachments') && !(uploads && uploads.showError(name, text))) {
        $('attachments-error').textContent = text;
      }
      return li;
    }
    setFieldError(name, text);
    const label = form.querySelector(`label[for="${name}"]`);
    const part = label.hasAttribute('data-i18n') ? label : label.querySelector('[data-i18n]');
    const a = h('a', '', `${part.textContent.trim()}: ${text}`);
    a.href = `#${name}`;
    a.addEventListener('click', (ev) => { ev.preventDefault(); $(name).focus(); });
    li.append(a);
    return li;
  });
  showAlert(data.message || msg('invalid'), items);
  const first = ordered.find((f) => FIELDS.includes(f));
  (first ? $(first) : alertBox).focus();
}

function setSending(on) {
  busy = on;
  $('submit').disabled = on;
  $('submit-idle').hidden = on;
  $('submit-busy').hidden = !on;
  form.setAttribute('aria-busy', String(on));
  $('form-status').textContent = on ? $('submit-busy').textContent : '';
}

function safeUrl(s) {
  try {
    const u = new URL(s, document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '';
  } catch (e) {
    return '';
  }
}

function showSuccess(data, email) {
  const token = typeof data.track_token === 'string' ? data.track_token : '';
  const url = (typeof data.track_url === 'string' && safeUrl(data.track_url))
    || (token ? safeUrl(`track.html#${encodeURIComponent(token)}`) : '');
  $('ticket-number').textContent = data.number || '';
  $('success-email').textContent = email;
  $('track-link').textContent = url;
  $('track-link').href = url || 'track.html';
  $('track-open').href = url || 'track.html';
  // Keep who the requester is for a next request; clear the problem itself.
  FIELDS.filter((f) => !REQUESTER.includes(f)).forEach((f) => { $(f).value = ''; });
  if (uploads) uploads.clear();
  $('website').value = '';
  clearErrors();
  updateCounter();
  form.hidden = true;
  $('success').hidden = false;
  $('success-title').focus();
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  const body = {};
  FIELDS.forEach((f) => {
    const v = $(f).value;
    if (!OPTIONAL.includes(f) || v.trim() !== '') body[f] = v;
  });
  body.website = $('website').value;
  clearErrors();
  if (uploads) {
    if (uploads.pending()) { showAlert(msg('files.wait')); alertBox.focus(); return; }
    body.attachments = uploads.ids();
  }
  setSending(true);
  let r;
  try {
    r = await fetchJSON('/api/tickets', { method: 'POST', body, headers: { 'Idempotency-Key': idemKey }, timeout: 30000 });
  } catch (e) {
    r = { status: 0, data: {}, network: e instanceof NetworkError };
  }
  setSending(false);
  const s = r.status;
  if (s === 200 || s === 201) { idemKey = uuid(); showSuccess(r.data, body.email); return; }
  if ([400, 413, 415, 422].includes(s)) idemKey = uuid();
  if (s === 400) { showFieldErrors(r.data); return; }
  const key = { 0: r.network ? 'network' : 'generic', 413: 'e413', 415: 'e415', 422: 'e422', 429: 'e429' }[s];
  showAlert(key ? msg(key) : s >= 500 ? msg('e5xx') : r.data.message || msg('generic'));
  alertBox.focus();
});

// An edited field loses its old message (the summary stays until the next send).
form.addEventListener('input', (ev) => {
  const name = ev.target.id;
  if (FIELDS.includes(name) && ev.target.hasAttribute('aria-invalid')) setFieldError(name, '');
});
desc.addEventListener('input', updateCounter);

$('new-request').addEventListener('click', () => {
  $('success').hidden = true;
  form.hidden = false;
  const firstEmpty = FIELDS.find((f) => !OPTIONAL.includes(f) && !$(f).value);
  $(firstEmpty || 'name').focus();
});

ready.then(() => { updateCounter(); fillCategories(false); });
onLanguageChange(() => { updateCounter(); fillCategories(true); });
