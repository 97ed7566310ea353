// Actions from the staff ticket page (PRODUCT.md §12): the signed-in member's actions on this
// ticket as forms, with the email links' fields and rules. Each form posts JSON with the
// ticket version the page shows; a 409 means the page is behind, and offers a reload.
import { fetchJSON, msg, h } from '../../js/common.js';

const TEXTS = { diagnosis: 2000, resolution: 2000, reason: 500 };
let busy = false;

function fieldId(action, name) { return `act-${action}-${name}`; }

function errorSlot(action, name) {
  const p = h('p', 'field-error');
  p.id = `${fieldId(action, name)}-error`;
  p.dataset.errorFor = name;
  return p;
}

function textField(action, name) {
  const div = h('div', 'field');
  const label = h('label', '', msg(`f.${name}`));
  label.htmlFor = fieldId(action, name);
  const area = h('textarea');
  area.id = fieldId(action, name);
  area.name = name;
  area.rows = name === 'reason' ? 3 : 4;
  area.maxLength = TEXTS[name];
  area.required = true;
  area.setAttribute('aria-describedby', `${area.id}-error`);
  div.append(label, area, errorSlot(action, name));
  return div;
}

function choice(name, value, text, extra) {
  const label = h('label', 'choice');
  const input = h('input');
  input.type = 'radio';
  input.name = name;
  input.value = value;
  Object.entries(extra || {}).forEach(([k, v]) => { input.dataset[k] = v; });
  label.append(input, ` ${text}`);
  return label;
}

function decisionField(action) {
  const fs = h('fieldset', 'field');
  fs.append(h('legend', '', msg('f.decision')));
  fs.append(choice('decision', 'handle', msg('decision.handle')), choice('decision', 'refer', msg('decision.refer')));
  fs.append(errorSlot(action, 'decision'));
  return fs;
}

function estimateField(action, t) {
  const fs = h('fieldset', 'field estimate');
  fs.dataset.estimate = '';
  fs.append(h('legend', '', msg('f.estimate_preset')));
  const presets = h('div', 'presets');
  (Array.isArray(t.estimate_presets) ? t.estimate_presets : []).forEach((p) => {
    presets.append(choice('estimate_preset', String(p.code), String(p.label), { minutes: String(p.minutes) }));
  });
  presets.append(choice('estimate_preset', 'custom', msg('f.estimate.custom')));
  const label = h('label', 'label', msg('f.estimate'));
  label.htmlFor = fieldId(action, 'estimate_minutes');
  const input = h('input');
  input.id = fieldId(action, 'estimate_minutes');
  input.name = 'estimate_minutes';
  input.type = 'number';
  input.inputMode = 'numeric';
  input.min = '1';
  input.setAttribute('aria-describedby', `${input.id}-hint ${input.id}-error`);
  const hint = h('p', 'hint', t.estimate_hint || '');
  hint.id = `${input.id}-hint`;
  fs.append(presets, label, input, hint, errorSlot(action, 'estimate_minutes'));
  return fs;
}

function staffField(action, t) {
  const div = h('div', 'field');
  const label = h('label', '', msg('f.new_holder'));
  label.htmlFor = fieldId(action, 'email');
  const select = h('select');
  select.id = fieldId(action, 'email');
  select.name = 'email';
  select.required = true;
  select.setAttribute('aria-describedby', `${select.id}-error`);
  const none = h('option', '', msg('f.new_holder.choose'));
  none.value = '';
  select.append(none);
  (Array.isArray(t.reassign_to) ? t.reassign_to : []).forEach((c) => {
    const o = h('option', '', `${c.name} (${c.role_label || c.role})`);
    o.value = String(c.email);
    select.append(o);
  });
  div.append(label, select, errorSlot(action, 'email'));
  return div;
}

function buildForm(choiceInfo, t, onSubmit) {
  const { action } = choiceInfo;
  const form = h('form', 'action-form');
  form.noValidate = true;
  form.dataset.action = action;
  form.append(h('p', 'muted', choiceInfo.description || ''));
  const fields = Array.isArray(choiceInfo.fields) ? choiceInfo.fields : [];
  if (fields.includes('diagnosis')) form.append(textField(action, 'diagnosis'));
  if (fields.includes('decision')) form.append(decisionField(action));
  if (fields.includes('estimate_minutes')) form.append(estimateField(action, t));
  if (fields.includes('email')) form.append(staffField(action, t));
  ['resolution', 'reason'].forEach((name) => { if (fields.includes(name)) form.append(textField(action, name)); });
  const button = h('button', `btn ${action === 'cancel' ? 'btn-danger' : 'btn-primary'}`, choiceInfo.label || action);
  button.type = 'submit';
  form.append(button);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); onSubmit(form, action); });
  return form;
}

function bodyOf(form, version) {
  const body = { version };
  new FormData(form).forEach((value, name) => { if (typeof value === 'string' && value !== '') body[name] = value; });
  return body;
}

function showFieldErrors(form, fields) {
  let first = null;
  form.querySelectorAll('[data-error-for]').forEach((p) => {
    const name = p.dataset.errorFor;
    const text = fields && fields[name] ? String(fields[name]) : (name === 'estimate_minutes' && fields && fields.estimate_preset ? String(fields.estimate_preset) : '');
    p.textContent = text;
    const control = form.elements.namedItem(name);
    const el = control instanceof RadioNodeList ? control[0] : control;
    if (el && el.setAttribute) {
      if (text) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
    }
    if (text && !first) first = el;
  });
  if (first && first.focus) first.focus();
}

// Render the actions of ticket `t` into `section`; `onDone(ticket, message)` after a success,
// `onStale()` to reload, `onSignedOut()` on a 401. `focus`: the action to open first.
export function renderActions(section, t, { onDone, onStale, onSignedOut, focus }) {
  const list = section.querySelector('[data-actions-body]');
  const status = section.querySelector('[data-actions-status]');
  const actions = Array.isArray(t.actions) ? t.actions.filter((a) => a && a.action) : [];
  list.replaceChildren();
  section.hidden = actions.length === 0;
  if (!actions.length) return;
  const first = focus && actions.some((a) => a.action === focus) ? focus : '';
  const ordered = [
    ...actions.filter((a) => a.action === first),
    ...actions.filter((a) => a.action !== first && a.action !== 'cancel'),
    ...actions.filter((a) => a.action !== first && a.action === 'cancel'),
  ];

  async function submit(form, action) {
    if (busy) return;
    busy = true;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    status.replaceChildren();
    let r = null;
    try {
      r = await fetchJSON(`/api/staff/tickets/${encodeURIComponent(t.number)}/actions/${encodeURIComponent(action)}`,
        { method: 'POST', body: bodyOf(form, t.version) });
    } catch (e) { r = null; }
    busy = false;
    button.disabled = false;
    if (r && r.status === 200) { onDone(r.data.ticket, r.data.message); return; }
    if (r && r.status === 401) { onSignedOut(); return; }
    if (r && r.status === 400 && r.data && r.data.fields) { showFieldErrors(form, r.data.fields); return; }
    const box = h('div', 'alert alert-error');
    box.setAttribute('role', 'alert');
    box.tabIndex = -1;
    box.append(h('p', '', (r && r.data && r.data.message) || msg(r ? 'generic' : 'network')));
    if (r && r.status === 409) {
      const reload = h('button', 'btn btn-secondary btn-small', msg('reload'));
      reload.type = 'button';
      reload.addEventListener('click', onStale);
      box.append(reload);
    }
    status.append(box);
    box.focus();
  }

  ordered.forEach((a, i) => {
    const form = buildForm(a, t, submit);
    // The first step is open; cancelling never is, unless asked for.
    if (i === 0 && (a.action !== 'cancel' || focus === 'cancel')) {
      list.append(h('h3', '', a.label || a.action), form);
      return;
    }
    const details = h('details');
    details.append(h('summary', '', a.label || a.action), form);
    list.append(details);
  });
  if (focus && ordered[0].action === focus) {
    const first = list.querySelector('input, textarea, select, button');
    section.scrollIntoView({ block: 'start' });
    if (first) first.focus({ preventScroll: true });
  }
}
