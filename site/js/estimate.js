// Estimate presets on the staff ticket page: picking a preset writes its working minutes into
// the number field; typing a number picks the preset with those minutes, or "other". The
// server-rendered action pages run no script: there a typed number wins, else the preset.
(function () {
  function presets(form) { return Array.from(form.querySelectorAll('input[name="estimate_preset"]')); }

  document.addEventListener('change', (ev) => {
    const radio = ev.target;
    if (!(radio instanceof HTMLInputElement) || radio.name !== 'estimate_preset' || !radio.form) return;
    const field = radio.form.elements.namedItem('estimate_minutes');
    if (!(field instanceof HTMLInputElement)) return;
    if (radio.dataset.minutes) field.value = radio.dataset.minutes;
    else field.focus();
  });

  document.addEventListener('input', (ev) => {
    const field = ev.target;
    if (!(field instanceof HTMLInputElement) || field.name !== 'estimate_minutes' || !field.form) return;
    const choices = presets(field.form);
    const match = choices.find((r) => r.dataset.minutes && r.dataset.minutes === field.value.trim());
    const other = choices.find((r) => r.value === 'custom');
    choices.forEach((r) => { r.checked = false; });
    if (match) match.checked = true; else if (other && field.value.trim()) other.checked = true;
  });
}());
