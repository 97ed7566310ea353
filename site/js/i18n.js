// TIKet language switch, loaded only when a visitor picks English (common.js imports it).
// Indonesian, the default, is written in the HTML itself; each element with data-i18n="key"
// (or data-i18n-attr="attr:key; attr2:key2") gets the English text below, and gets its
// Indonesian text back when the visitor switches back.
export const en = {
  'common.skip': 'Skip to main content',
  'common.home': 'ICT service home',
  'common.footer': 'Following the SOP for ICT problem handling requests.',
  'common.service': 'TIKet — ICT Problem Handling Service',
  'common.hours': 'Service hours: Monday–Thursday 07:30–16:00 WIB, Friday 07:30–16:30 WIB.',

  'index.title': 'ICT Problem Handling Service — TIKet',
  'index.description': 'ICT problem handling dashboard: file a request, follow its handling, and see the service hours and time standards.',
  'index.h1': 'ICT Problem Handling Service',
  'index.lead': 'Report problems with computers, network, printers or office applications. The ICT officer will follow up your request within the service time standards.',
  'index.nav': 'Services',
  'index.tile.request': 'Request ICT problem handling',
  'index.tile.request.text': 'Fill in the request form (about 5 minutes). You will receive a confirmation email with the request number and a tracking link.',
  'index.tile.track': 'Track a request',
  'index.tile.track.text': 'The tracking link is in the confirmation email you received after sending your request. Open it to see the status and steps, and to fill in the satisfaction survey.',
  'index.hours.title': 'Service hours',
  'index.hours.monthu': 'Monday–Thursday',
  'index.hours.fri': 'Friday',
  'index.hours.note': 'Requests can also be sent outside service hours and on holidays; handling time starts at the next working minute.',
  'index.std.title': 'Service time standards',
  'index.std.intro': 'Each step is measured against the SOP standard, counted in working minutes:',
  'index.std.ack': 'Follow-up of the request by the ICT officer:',
  'index.std.diag': 'Diagnosis of the problem:',
  'index.std.accept': 'Acceptance of repair work by the facilities officer (if needed):',
  'index.std.handle': 'Handling or repair:',
  'index.std.handle.value': 'as estimated by the officer',
  'index.std.min': 'minutes',
  'index.std.skm': 'When your request is resolved you will be asked to fill in the public satisfaction survey (SKM) through the tracking link.',

  'req.title': 'Request ICT problem handling — TIKet',
  'req.description': 'Request form for ICT problem handling. The request number and tracking link are sent to your email.',
  'req.h1': 'Request ICT problem handling',
  'req.intro': 'Fill in the form below (about 5 minutes). The request number and tracking link will be sent to your email. Fields marked “optional” may be left empty.',
  'req.who': 'About you',
  'req.what': 'The problem',
  'req.submit': 'Send request',
  'req.sending': 'Sending…',
  'req.ok.title': 'Request sent',
  'req.ok.number': 'Your request number:',
  'req.ok.email': 'A confirmation email with the number and tracking link has been sent to',
  'req.ok.email2': '. Please also check your spam folder.',
  'req.ok.link': 'Tracking link (keep this link):',
  'req.ok.track': 'Track request',
  'req.ok.again': 'File another request',

  'f.name': 'Name',
  'f.email': 'Email',
  'f.email.hint': 'The confirmation and handling updates are sent to this address.',
  'f.nip': 'NIP (civil servant ID)',
  'f.nip.hint': '18 digits, no spaces.',
  'f.phone': 'Phone/WhatsApp',
  'f.phone.hint': 'Digits, + and spaces, for example +62 812 3456 7890.',
  'f.unit': 'Work unit/section',
  'f.location': 'Location/room',
  'f.location.hint': 'Building, floor and room where the problem is.',
  'f.category': 'Problem category',
  'f.category.choose': '— Choose a category —',
  'f.asset': 'Asset/BMN number',
  'f.asset.hint': 'Printed on the device’s BMN label, if any.',
  'f.subject': 'Problem title',
  'f.subject.hint': 'Short, for example “Printer on floor 2 does not print”.',
  'f.description': 'Problem description',
  'f.description.hint': 'What happens, since when, any error message shown, and what you already tried.',
  'f.optional': '(optional)',

  'msg.counter': '{n} / {max} characters',
  'msg.options': 'The category list could not be loaded. Check your connection and reload the page.',
  'msg.invalid': 'Please check the following fields.',
  'msg.network': 'Cannot reach the server. Check your internet connection and send again; your entries are kept.',
  'msg.e413': 'The request is too large to send. Shorten the description and send again.',
  'msg.e415': 'The server did not accept the request format. Reload the page and send again.',
  'msg.e422': 'An earlier send may already have been recorded with different content. Check your email; if no confirmation arrived, send again.',
  'msg.e429': 'Too many requests in a short time. Wait a moment and send again; your entries are kept.',
  'msg.e5xx': 'The server is having problems. Your entries are kept; try sending again in a moment.',
  'msg.generic': 'The request could not be sent. Please send again.',
  'msg.loading': 'Loading…',
  'msg.updated': 'Updated {time}',
  'msg.notfound': 'Unknown tracking link',
  'msg.notfound.text': 'Check the link in the confirmation email and make sure it was copied completely.',
  'msg.notoken': 'Paste the tracking link from the confirmation email.',
  'msg.network.track': 'Cannot reach the server. Check your internet connection and press Refresh.',
  'msg.e429.track': 'Too many requests in a short time. Wait a moment and try again.',
  'msg.e5xx.track': 'The server is having problems. Try again in a moment.',
  'msg.generic.track': 'The request could not be loaded. Please try again.',

  'track.title': 'Track a request — TIKet',
  'track.description': 'Status, steps and history of the handling of your ICT service request.',
  'track.h1': 'Track a request',
  'track.refresh': 'Refresh',
  'track.open.title': 'Open your tracking link',
  'track.open.text': 'The tracking link is in the confirmation email you received after sending your request. Click it, or paste it here.',
  'track.open.label': 'Tracking link',
  'track.open.submit': 'Track',
  'track.number': 'Request number',
  'track.status': 'Status',
  'track.subject': 'Problem title',
  'track.category': 'Category',
  'track.created': 'Submitted',
  'track.steps': 'Steps and time standards',
  'track.steps.note': 'Deadlines are counted in working hours, following the SOP standards.',
  'track.col.step': 'Step',
  'track.col.due': 'Deadline',
  'track.col.done': 'Done',
  'track.history': 'History',
  'track.late': 'Late',
  'track.none': '—',
  'track.by': 'by {name}',
  'track.nosteps': 'No step has started yet.',
  'track.standard': 'Standard: {n} working minutes',
  'step.notify': 'Notification to ICT staff',
  'step.acknowledge': 'Acknowledged by ICT staff',
  'step.diagnose': 'Diagnosis',
  'step.rt_accept': 'Accepted by facilities',
  'step.handle': 'Handling / repair',
  'track.paused': 'Paused',
  'track.standard.max': 'As estimated, at most {n} working minutes',
  'track.location': 'Location',
  'track.assignee': 'ICT officer',
  'track.repair_assignee': 'Facilities officer',
  'track.desc': 'Problem description',
  'track.diagnosis': 'Diagnosis',
  'track.hold': 'Reason for hold',
  'track.resolution': 'Resolution',
  'track.cancel': 'Reason for cancellation',

  'skm.title': 'Public Satisfaction Survey (SKM)',
  'skm.intro': 'Your request has been resolved. Please rate our service; every question must be answered.',
  'skm.saran': 'Suggestions and feedback',
  'skm.submit': 'Send survey',
  'skm.closes': 'The survey can be filled in until {time}.',
  'skm.done': 'Thank you, the survey has been filled in',
  'skm.done.text': 'Your rating helps us improve the ICT service.',
  'skm.invalid': 'Please check your survey answers.',
  'skm.noform': 'The survey form could not be loaded. Press Refresh to try again.',
  'skm.network': 'The survey was not sent because the connection dropped. Your answers are kept; send again.',
  'skm.error': 'The survey could not be sent. Your answers are kept; please send again.',
};

const originals = new WeakMap(); // element -> {'#text': Indonesian text, attr: Indonesian value}

function remember(el, key, value) {
  let o = originals.get(el);
  if (!o) { o = {}; originals.set(el, o); }
  if (!(key in o)) o[key] = value;
  return o[key];
}

/** Show the page in `lang` ('id' or 'en'). */
export function apply(lang) {
  const dict = lang === 'en' ? en : null;
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => {
    const id = remember(el, '#text', el.textContent);
    const v = dict ? dict[el.dataset.i18n] : id;
    if (typeof v === 'string') el.textContent = v;
  });
  document.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    el.dataset.i18nAttr.split(';').forEach((pair) => {
      const [attr, key] = pair.split(':').map((x) => x.trim());
      if (!attr || !key) return;
      const id = remember(el, attr, el.getAttribute(attr));
      const v = dict ? dict[key] : id;
      if (typeof v === 'string') el.setAttribute(attr, v);
    });
  });
  const btn = document.getElementById('lang-switch');
  if (btn) {
    btn.textContent = lang === 'en' ? 'Bahasa Indonesia' : 'English';
    btn.lang = lang === 'en' ? 'id' : 'en';
  }
}
