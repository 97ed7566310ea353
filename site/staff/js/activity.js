// TIKet reports (staff/reports.html): what happened to the period's requests, from their
// history (the summary's ``activity``: counts by action and by who), and its rates.
import { msg, h } from '../../js/common.js';
import { num } from './staff.js';

const STAFF = ['tik', 'rt', 'supervisor', 'admin'];
const $ = (id) => document.getElementById(id);

function count(value) {
  return Number.isFinite(Number(value)) ? Number(value) : 0;
}

export function renderActivity(r) {
  const body = $('activity-body');
  body.replaceChildren();
  const rows = Array.isArray(r.activity) ? r.activity.filter((x) => x && typeof x === 'object') : [];
  if (!rows.length) {
    const tr = h('tr');
    const td = h('td', 'muted', msg('empty'));
    td.colSpan = 5;
    tr.append(td);
    body.append(tr);
  }
  rows.forEach((x) => {
    const by = x.by_role && typeof x.by_role === 'object' ? x.by_role : {};
    const tr = h('tr');
    tr.dataset.action = String(x.action || '');
    const name = h('th', '', x.label || x.action || '');
    name.scope = 'row';
    const staff = STAFF.reduce((sum, role) => sum + count(by[role]), 0);
    tr.append(name, h('td', 'num', num(x.count)), h('td', 'num', num(count(by.requester))),
      h('td', 'num', num(staff)), h('td', 'num', num(count(by.system))));
    body.append(tr);
  });
  const rates = $('activity-rates');
  rates.replaceChildren();
  (Array.isArray(r.rates) ? r.rates : []).forEach((x) => {
    const pct = x.percent === null || x.percent === undefined ? msg('none') : `${num(x.percent, 1)}%`;
    const li = h('li', '', msg('rate', { label: x.label || x.rate, count: num(x.count), of: num(x.of), pct }));
    li.dataset.rate = String(x.rate || '');
    rates.append(li);
  });
}
