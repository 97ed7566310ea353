// TIKet staff sign-in (staff/signin.html#<token>), the page the emailed link opens. Nothing
// happens until the person presses Masuk: mail scanners open links too, and the token is
// single use. The token stays in the fragment, out of server logs.
import { fetchJSON, loadOptions, showUnitName, msg, ready } from '../../js/common.js';
import { takeNext } from './staff.js';

const $ = (id) => document.getElementById(id);
let busy = false;

function readToken() {
  let t = location.hash.replace(/^#/, '');
  try { t = decodeURIComponent(t); } catch (e) { /* keep raw */ }
  return t.trim();
}

function fail(title, text, retry) {
  $('signin-error-title').textContent = title;
  $('signin-error-text').textContent = text;
  // Offline or a server hiccup: the same link may still work, so Masuk stays.
  $('signin-ready').hidden = !retry;
  $('signin-error').hidden = false;
  $('signin-error').focus();
}

function setBusy(on) {
  busy = on;
  $('signin-button').disabled = on;
  $('signin-idle').hidden = on;
  $('signin-busy').hidden = !on;
}

async function signIn() {
  if (busy) return;
  const token = readToken();
  if (!token) { fail(msg('notoken'), msg('notoken.text'), false); return; }
  $('signin-error').hidden = true;
  setBusy(true);
  let r = null;
  try { r = await fetchJSON('/api/auth/signin', { method: 'POST', body: { token } }); } catch (e) { r = null; }
  if (r && r.status === 200) {
    // Leave the used link behind: Back must not return to it.
    location.replace(takeNext() || 'index.html');
    return;
  }
  setBusy(false);
  if (!r) { fail(msg('failed'), msg('network'), true); return; }
  if ([403, 409, 410].includes(r.status)) {
    fail(msg(`e${r.status}`), (r.data && r.data.message) || msg(`e${r.status}.text`), false);
    return;
  }
  if (r.status === 429) { fail(msg('failed'), msg('e429'), true); return; }
  if (r.status >= 500) { fail(msg('failed'), msg('e5xx'), true); return; }
  fail(msg('failed'), (r.data && r.data.message) || msg('e403.text'), false);
}

$('signin-button').addEventListener('click', signIn);
ready.then(() => {
  loadOptions().then(showUnitName);
  if (readToken()) $('signin-ready').hidden = false;
  else fail(msg('notoken'), msg('notoken.text'), false);
});
window.addEventListener('hashchange', () => {
  $('signin-error').hidden = true;
  $('signin-ready').hidden = !readToken();
  if (!readToken()) fail(msg('notoken'), msg('notoken.text'), false);
});
