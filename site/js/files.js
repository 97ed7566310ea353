// Attachments as thumbnails linking to the file (tracking page, staff ticket page). Links
// are signed for 15 minutes: one clicked later than LINK_FRESH_MS after the page got it is
// signed again first (``refresh`` reloads the page's data and returns the new list).
import { h } from './common.js';

const LINK_FRESH_MS = 12 * 60 * 1000;

function size(n) {
  return n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

function safeUrl(s) {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '';
  } catch (e) {
    return '';
  }
}

export function renderFiles(ul, files, refresh) {
  const got = Date.now();
  ul.replaceChildren();
  (Array.isArray(files) ? files : []).forEach((f) => {
    const url = safeUrl(f.url);
    if (!url) return;
    const li = h('li', 'file');
    const a = h('a');
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    const thumb = f.thumbnail_url ? safeUrl(f.thumbnail_url) : '';
    if (thumb) {
      const img = h('img', 'file-thumb');
      img.alt = '';
      img.loading = 'lazy';
      img.src = thumb;
      a.append(img);
    } else {
      const kind = h('span', 'file-thumb file-kind', f.content_type === 'application/pdf' ? 'PDF' : '');
      kind.setAttribute('aria-hidden', 'true');
      a.append(kind);
    }
    a.append(h('span', 'file-name', String(f.name || '')));
    a.addEventListener('click', async (ev) => {
      if (Date.now() - got < LINK_FRESH_MS || !refresh) return;
      ev.preventDefault();
      const fresh = ((await refresh()) || []).find((x) => x.id === f.id);
      if (fresh && safeUrl(fresh.url)) window.open(safeUrl(fresh.url), '_blank', 'noopener,noreferrer');
    });
    li.append(a, h('span', 'file-size', size(Number(f.size) || 0)));
    ul.append(li);
  });
  return ul.childElementCount;
}
