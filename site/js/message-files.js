// Photos and files for a message form (tracking page, staff ticket page): the same picker as
// the request form. Its upload code (upload.js) and the thread's gallery (files.js) load only
// when used. ``picker`` wires the form's inputs; ``threadFiles`` shows each message's files.
const $ = (id) => document.getElementById(id);

// ``prefix``: the ids of the form's parts (<prefix>-camera, -pick, -uploads, -upload-status,
// -attachments-error; see track.html). Returns what messageForm asks of it.
export function picker(prefix) {
  let uploads = null;
  let loading = null; // one list for both inputs, even when two picks beat the import
  [`${prefix}-camera`, `${prefix}-pick`].forEach((id) => $(id).addEventListener('change', async (ev) => {
    const picked = Array.from(ev.target.files || []);
    ev.target.value = '';
    if (!picked.length) return;
    if (!loading) {
      loading = import('./upload.js').then(({ uploader }) => uploader({
        list: $(`${prefix}-uploads`),
        status: $(`${prefix}-upload-status`),
        error: $(`${prefix}-attachments-error`),
        pick: $(`${prefix}-pick`),
        countKey: 'files.count.message',
      }));
    }
    uploads = await loading;
    uploads.add(picked);
  }));
  const error = $(`${prefix}-attachments-error`);
  return {
    ids: () => (uploads ? uploads.ids() : []),
    pending: () => Boolean(uploads && uploads.pending()),
    // A 400 about one file goes to its row; about the list, under the picker.
    showError: (field, text) => {
      if (!(uploads && uploads.showError(field, text))) error.textContent = text;
    },
    clear: () => { error.textContent = ''; if (uploads) uploads.clear(); },
  };
}

// Each message's files under its text (the <ul data-files> renderThread leaves), with the
// gallery's fresh-link handling: ``refresh`` reloads and returns the messages.
export function threadFiles(list, messages, refresh) {
  const lists = Array.from(list.querySelectorAll('ul[data-files]'));
  if (!lists.length) return;
  import('./files.js').then(({ renderFiles }) => {
    lists.forEach((ul) => {
      const m = messages.find((x) => x && x.id === ul.dataset.files);
      const again = async () => {
        const fresh = (await refresh()) || [];
        const now = fresh.find((x) => x && x.id === ul.dataset.files);
        return now ? now.attachments : [];
      };
      renderFiles(ul, m ? m.attachments : [], again);
    });
  });
}
