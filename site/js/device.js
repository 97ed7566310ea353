// TIKet request form, devices (BMN): a QR label opens request.html?asset=<tag>; the form then
// shows the device ("Perangkat: <name>, <location>"), fills its location and sets its tag.
// A tag the register does not know stays in the form, shown as unknown. Requesters may also
// pick a device by location (GET /api/assets/locations, /api/assets?location=&q=); the
// public answers never say who holds a device.
import { fetchJSON, msg, h, ready, onLanguageChange } from './common.js';

const $ = (id) => document.getElementById(id);
const form = $('request-form');
const tagInput = $('asset_tag');
const place = $('location');
const box = $('device-box');
const search = $('device-search');
const searchPlace = $('ds-location');
const searchText = $('ds-q');
const results = $('ds-results');
const searchStatus = $('ds-status');

// What the box shows: {device} for a known device, {unknown: tag}, or null.
let shown = null;
let lookupSeq = 0;
let searchSeq = 0;

function clean(value) { return typeof value === 'string' ? value.trim() : ''; }

function describe(device) {
  const name = [clean(device.name), clean(device.brand_type)].filter(Boolean).join(' ');
  return [name, clean(device.location)].filter(Boolean).join(', ');
}

function render() {
  box.replaceChildren();
  box.classList.remove('is-unknown');
  if (!shown) { box.hidden = true; return; }
  const line = h('p', 'device-line');
  if (shown.device) {
    const d = shown.device;
    line.append(h('strong', '', msg('dev.label')), ' ', h('span', 'device-name', describe(d)));
    box.append(line, h('p', 'hint device-tag', msg('dev.tag', { tag: clean(d.tag) })));
    if (d.retired) box.append(h('p', 'hint', msg('dev.retired')));
  } else {
    box.classList.add('is-unknown');
    line.append(h('strong', '', msg('dev.unknown', { tag: shown.unknown })));
    box.append(line, h('p', 'hint', msg('dev.unknown.hint')));
  }
  const clear = h('button', 'btn btn-secondary btn-small', msg('dev.clear'));
  clear.type = 'button';
  clear.addEventListener('click', () => {
    shown = null;
    tagInput.value = '';
    render();
    tagInput.focus();
  });
  box.append(clear);
  box.hidden = false;
}

// Show the device a tag names. ``fill``: put its location in the form ('always' when the
// requester chose it, 'empty' to keep a location already typed).
async function lookup(text, fill) {
  const tag = clean(text);
  const mine = ++lookupSeq;
  if (!tag) { shown = null; render(); return; }
  let r;
  try {
    r = await fetchJSON(`/api/assets/${encodeURIComponent(tag)}`);
  } catch (e) {
    r = { status: 0, data: {} };
  }
  if (mine !== lookupSeq) return; // a newer lookup wins
  if (r.status === 200 && r.data && typeof r.data.tag === 'string') {
    useDevice(r.data, fill);
  } else if (r.status === 404) {
    shown = { unknown: tag };
    render();
  } else {
    shown = null; // offline or refused: the tag stays as typed, nothing claimed about it
    render();
  }
}

function useDevice(device, fill) {
  shown = { device };
  tagInput.value = device.tag;
  if (fill === 'always' || (fill === 'empty' && !clean(place.value))) {
    place.value = clean(device.location).slice(0, place.maxLength > 0 ? place.maxLength : 150);
    place.removeAttribute('aria-invalid');
    const error = $('location-error');
    if (error) error.textContent = '';
  }
  render();
}

// ---- choosing a device by location -------------------------------------------------------
async function loadLocations() {
  let r;
  try { r = await fetchJSON('/api/assets/locations'); } catch (e) { return; }
  const locations = r.ok && Array.isArray(r.data.locations) ? r.data.locations : [];
  if (!locations.length) { search.hidden = true; return; }
  const keep = searchPlace.value;
  while (searchPlace.options.length > 1) searchPlace.remove(1);
  const list = $('location-list');
  list.replaceChildren();
  locations.forEach((loc) => {
    if (!loc || typeof loc.key !== 'string') return;
    searchPlace.add(new Option(`${clean(loc.name)} (${Number(loc.devices) || 0})`, loc.key));
    const option = document.createElement('option');
    option.value = clean(loc.name);
    list.append(option);
  });
  searchPlace.value = keep;
  search.hidden = false;
}

async function runSearch() {
  const key = searchPlace.value;
  const mine = ++searchSeq;
  results.replaceChildren();
  if (!key) { searchStatus.textContent = ''; return; }
  searchStatus.textContent = msg('dev.loading');
  const q = new URLSearchParams({ location: key, q: searchText.value.trim() });
  let r;
  try { r = await fetchJSON(`/api/assets?${q}`); } catch (e) { r = { ok: false, data: {} }; }
  if (mine !== searchSeq) return;
  if (!r.ok) { searchStatus.textContent = msg('dev.error'); return; }
  const devices = Array.isArray(r.data.devices) ? r.data.devices : [];
  searchStatus.textContent = devices.length ? msg('dev.found', { n: devices.length }) : msg('dev.none');
  devices.forEach((d) => {
    if (!d || typeof d.tag !== 'string') return;
    const li = h('li', 'device-result');
    const text = h('span', 'device-result-text');
    text.append(h('strong', '', [clean(d.name), clean(d.brand_type)].filter(Boolean).join(' ')));
    text.append(h('span', 'hint', d.tag));
    const pick = h('button', 'btn btn-secondary btn-small', msg('dev.pick'));
    pick.type = 'button';
    pick.setAttribute('aria-label', `${msg('dev.pick')}: ${describe(d)} (${d.tag})`);
    pick.addEventListener('click', () => {
      lookupSeq += 1; // an answer still on its way must not replace this choice
      useDevice(d, 'always');
      search.open = false;
      box.focus();
    });
    li.append(text, pick);
    results.append(li);
  });
}

let typing = null;
searchPlace.addEventListener('change', runSearch);
searchText.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(runSearch, 300); });
searchText.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') { ev.preventDefault(); clearTimeout(typing); runSearch(); }
});

// A tag typed (or pasted) by hand: look it up once the field is left.
tagInput.addEventListener('change', () => lookup(tagInput.value, 'empty'));
tagInput.addEventListener('input', () => {
  if (!clean(tagInput.value) && shown) { shown = null; render(); }
});
// After a sent request the form keeps the requester, not the problem: nor its device.
$('new-request').addEventListener('click', () => {
  if (!clean(tagInput.value)) { shown = null; render(); }
});
form.addEventListener('reset', () => { shown = null; render(); });
box.tabIndex = -1;

ready.then(() => {
  const fromLabel = new URLSearchParams(window.location.search).get('asset');
  if (fromLabel) {
    tagInput.value = fromLabel.trim().slice(0, tagInput.maxLength > 0 ? tagInput.maxLength : 64);
    lookup(tagInput.value, 'always');
  }
  loadLocations();
});
onLanguageChange(() => { render(); loadLocations(); });
