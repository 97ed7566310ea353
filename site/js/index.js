// TIKet dashboard: the unit's name, office hours and time standards from /api/options
// (the static text in the page stays when the API cannot be reached).
import { loadOptions, showUnitName, onLanguageChange, lang, h, formatMinutes } from './common.js';

function hhmm(s) { return lang() === 'en' ? s : s.replace(':', '.'); }

function dayName(weekday) {
  // 2026-11-30 is a Monday; weekday 0 = Monday, as in the API.
  const d = new Date(Date.UTC(2026, 10, 30 + weekday, 12));
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'id-ID', { weekday: 'long', timeZone: 'UTC' }).format(d);
}

function renderHours(rows) {
  const valid = rows.filter((r) => r && Number.isInteger(r.weekday) && typeof r.start === 'string' && typeof r.end === 'string')
    .sort((a, b) => a.weekday - b.weekday);
  if (!valid.length) return;
  const groups = [];
  valid.forEach((r) => {
    const last = groups[groups.length - 1];
    if (last && last.start === r.start && last.end === r.end && last.to === r.weekday - 1) last.to = r.weekday;
    else groups.push({ from: r.weekday, to: r.weekday, start: r.start, end: r.end });
  });
  const list = document.getElementById('service-hours');
  list.replaceChildren(...groups.map((g) => {
    const days = g.from === g.to ? dayName(g.from) : `${dayName(g.from)}–${dayName(g.to)}`;
    return h('li', '', `${days} ${hhmm(g.start)}–${hhmm(g.end)} WIB`);
  }));
}

async function render(force) {
  const opts = await loadOptions(force);
  if (!opts) return;
  showUnitName(opts);
  if (Array.isArray(opts.office_hours)) renderHours(opts.office_hours);
  (Array.isArray(opts.standards) ? opts.standards : []).forEach((s) => {
    if (!s || typeof s.step !== 'string' || !Number.isFinite(s.minutes)) return;
    document.querySelectorAll(`[data-standard="${CSS.escape(s.step)}"]`).forEach((el) => {
      el.textContent = formatMinutes(s.minutes);
    });
  });
}

render(false);
onLanguageChange(() => render(true));
