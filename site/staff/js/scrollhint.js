// Wide tables say they scroll: above every .table-wrap whose content is wider than it (a
// report table on a phone), a line says so; it hides again when the table fits.
import { msg, h, onLanguageChange } from '../../js/common.js';

function update(wrap) {
  let hint = wrap.previousElementSibling;
  if (!hint || !hint.classList.contains('scroll-hint')) {
    hint = h('p', 'scroll-hint no-print');
    wrap.before(hint);
  }
  hint.textContent = msg('scroll');
  hint.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
}

const wraps = Array.from(document.querySelectorAll('.table-wrap'));
const observer = new ResizeObserver((entries) => {
  entries.forEach((entry) => { const wrap = entry.target.closest('.table-wrap'); if (wrap) update(wrap); });
});
wraps.forEach((wrap) => {
  observer.observe(wrap);
  if (wrap.firstElementChild) observer.observe(wrap.firstElementChild);
});
onLanguageChange(() => wraps.forEach(update));
