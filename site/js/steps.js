// The steps table (SOP step, deadline, done, late badge) shared by the requester's tracking
// page and the staff ticket page. `extra(step, th, tr)` returns cells the caller adds.
import { msg, h, timeEl, formatMinutes } from './common.js';

export function hasMsg(key) { return !!document.querySelector(`[data-msg="${key}"]`); }

export function stepLabel(s) {
  if (s && typeof s.label === 'string' && s.label) return s.label;
  const code = s && typeof s === 'object' ? s.step : s;
  return hasMsg(`step.${code}`) ? msg(`step.${code}`) : String(code || '');
}

export function dateCell(iso) {
  const td = h('td');
  if (iso) td.append(timeEl(iso, true)); else td.textContent = msg('none');
  return td;
}

function flag(th, cls, text) {
  const span = h('span', 'step-flag');
  span.append(h('span', cls, text));
  th.append(span);
}

export function renderSteps(body, steps, columns, cells) {
  body.replaceChildren();
  if (!steps.length) {
    const tr = h('tr');
    const td = h('td', 'muted', msg('nosteps'));
    td.colSpan = columns;
    tr.append(td);
    body.append(tr);
    return;
  }
  steps.forEach((s) => {
    if (!s || typeof s !== 'object') return;
    const tr = h('tr');
    tr.dataset.step = String(s.step || '');
    const th = h('th');
    th.scope = 'row';
    th.append(h('span', '', stepLabel(s)));
    if (Number.isFinite(s.standard_minutes)) th.append(h('span', 'hint', msg('standard', { n: formatMinutes(s.standard_minutes) })));
    if (s.on_hold === true && !s.done_at) flag(th, 'badge badge-status status-on_hold', msg('paused'));
    if (s.breached === true) {
      tr.dataset.late = 'true';
      flag(th, 'badge badge-late', msg('late'));
    }
    tr.append(th, ...cells(s));
    body.append(tr);
  });
}
