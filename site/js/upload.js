// TIKet uploads, loaded with the first file picked: the request form (request.js) and the
// message forms (message-files.js). Each file is checked here first (type, size, count: the
// server's rules from /api/options), gets a presigned POST from /api/uploads and goes
// straight to the files bucket, with its own progress bar and a remove button; the form
// sends the upload ids in "attachments". ``uploader`` makes one list per form.
import { fetchJSON, loadOptions, msg, h } from './common.js';

const fallbackRules = { types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'], max_bytes: 10485760, max_files: 5 };
function size(n) {
  return n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

async function rules() {
  const opts = await loadOptions();
  return (opts && opts.attachments) || fallbackRules;
}

// Only the first bad file of a batch is announced; each keeps its own message in its row.
function problem(file, r, count, countKey) {
  if (count >= r.max_files) return msg(countKey, { max: r.max_files });
  if (!r.types.includes(file.type)) return msg('files.type');
  if (file.size === 0) return msg('files.empty');
  if (file.size > r.max_bytes) return msg('files.size', { max: Math.round(r.max_bytes / 1048576) });
  return '';
}

function row(file) {
  const li = h('li', 'upload');
  let preview = null;
  if (file.type.startsWith('image/')) {
    preview = URL.createObjectURL(file);
    const img = h('img', 'file-thumb');
    img.alt = '';
    img.src = preview;
    li.append(img);
  } else {
    const kind = h('span', 'file-thumb file-kind', file.type === 'application/pdf' ? 'PDF' : '?');
    kind.setAttribute('aria-hidden', 'true');
    li.append(kind);
  }
  const info = h('div', 'upload-info');
  info.append(h('span', 'file-name', file.name), h('span', 'file-size', size(file.size)));
  const bar = h('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', file.name);
  const state = h('span', 'upload-state');
  info.append(bar, state);
  const remove = h('button', 'btn btn-secondary upload-remove', msg('files.remove'));
  remove.type = 'button';
  remove.setAttribute('aria-label', msg('files.remove.label', { name: file.name }));
  li.append(info, remove);
  return { li, bar, state, remove, preview };
}

// ``list``: the <ul> of files; ``status``: a polite live region; ``error``: the form's
// message about the list as a whole; ``pick``: where focus goes when the last file is removed;
// ``countKey``: the text of the limit ("… per request", "… per message").
export function uploader({ list, status, error, pick, countKey = 'files.count' }) {
  const items = []; // {file, view, state: 'uploading' | 'done' | 'failed', id, xhr}

  function fail(item, text) {
    item.state = 'failed';
    item.view.bar.hidden = true;
    item.view.state.textContent = text;
    item.view.state.className = 'upload-state upload-error';
  }

  function drop(item) {
    if (item.xhr) item.xhr.abort();
    if (item.view.preview) URL.revokeObjectURL(item.view.preview);
    const at = items.indexOf(item);
    items.splice(at, 1);
    item.view.li.remove();
    status.textContent = msg('files.removed', { name: item.file.name });
    const next = items[at] || items[at - 1];
    (next ? next.view.remove : pick).focus();
  }

  async function send(item) {
    const { file } = item;
    let r;
    try {
      r = await fetchJSON('/api/uploads', { method: 'POST', body: { filename: file.name, content_type: file.type, size: file.size } });
    } catch (e) {
      r = { status: 0, data: {} };
    }
    if (item.state !== 'uploading') return; // removed meanwhile
    if (r.status !== 201 || !r.data.upload) {
      const fields = r.data.fields || {};
      fail(item, fields.filename || fields.content_type || fields.size || r.data.message || msg('files.failed'));
      return;
    }
    const form = new FormData();
    Object.entries(r.data.upload.fields || {}).forEach(([k, v]) => form.append(k, v));
    form.append('file', file); // S3 reads every field before the file
    const xhr = new XMLHttpRequest();
    item.xhr = xhr;
    xhr.upload.addEventListener('progress', (ev) => {
      if (ev.lengthComputable) item.view.bar.value = Math.round((ev.loaded / ev.total) * 100);
    });
    xhr.addEventListener('load', () => {
      item.xhr = null;
      if (xhr.status >= 200 && xhr.status < 300) {
        item.state = 'done';
        item.id = r.data.id;
        item.view.bar.value = 100;
        item.view.state.textContent = msg('files.done');
        status.textContent = msg('files.uploaded', { name: file.name });
      } else {
        fail(item, msg('files.failed'));
      }
    });
    xhr.addEventListener('error', () => { item.xhr = null; fail(item, msg('files.failed')); });
    xhr.open('POST', r.data.upload.url);
    xhr.send(form);
  }

  async function add(files) {
    const r = await rules();
    error.textContent = '';
    files.forEach((file) => {
      const count = items.filter((i) => i.state !== 'failed').length;
      const bad = problem(file, r, count, countKey);
      if (bad && count >= r.max_files) { error.textContent = bad; return; }
      const item = { file, state: 'uploading', id: null, xhr: null, view: row(file) };
      item.view.remove.addEventListener('click', () => drop(item));
      items.push(item);
      list.append(item.view.li);
      item.view.state.textContent = msg('files.uploading');
      if (bad) {
        fail(item, bad);
        status.textContent = `${file.name}: ${bad}`;
        return;
      }
      send(item);
    });
  }

  function ids() { return items.filter((i) => i.state === 'done').map((i) => i.id); }

  function pending() { return items.some((i) => i.state !== 'done'); }

  // A 400 of the form about one file ("attachments.<n>", n counting the sent ones): shown in
  // that file's row; false when no row is meant.
  function showError(field, text) {
    const n = Number(field.split('.')[1]);
    const sent = items.filter((i) => i.state === 'done');
    if (!Number.isInteger(n) || !sent[n]) return false;
    fail(sent[n], text);
    return true;
  }

  function clear() {
    items.splice(0).forEach((item) => {
      if (item.xhr) item.xhr.abort();
      if (item.view.preview) URL.revokeObjectURL(item.view.preview);
    });
    list.replaceChildren();
    status.textContent = '';
  }

  return { add, ids, pending, showError, clear };
}
