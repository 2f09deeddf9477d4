// Admin page, IVR scripts: the scripts folder as a list to open from, the editor with the validator's problems beside
// it (each one selects its line, and is marked in the gutter), the script's flow diagram (admin-flow.js) with the
// problems marked on its nodes, validate, publish, and roll back after a confirmation; the audit log.
'use strict';
(async () => {
  const user = Hotline.require(['admin']);
  if (!user) return;
  const $ = id => document.getElementById(id);
  Hotline.text('who', user.username);
  $('signout').onclick = () => Hotline.logout();
  const src = $('source');
  const id = () => $('scriptId').value.trim();
  const status = (t, kind) => Hotline.flash('scriptStatus', t, kind, 30);

  const drawList = files => {
    const ul = $('scriptList');
    const key = JSON.stringify(files);
    if (ul.dataset.shown === key) return;
    ul.dataset.shown = key; ul.replaceChildren();
    files.forEach(f => {
      const li = document.createElement('li');
      const b = document.createElement('button'); b.id = 'script-' + f.id;
      b.textContent = f.id;
      const badge = document.createElement('span'); badge.className = 'badge ' + (f.errors ? 'alert' : 'muted');
      badge.textContent = ' ' + (f.errors ? f.errors + (f.errors === 1 ? ' error' : ' errors') : f.published ? 'live' : 'not live');
      b.appendChild(badge);
      if (f.warnings) b.title = f.warnings + (f.warnings === 1 ? ' warning' : ' warnings');
      b.onclick = () => { $('scriptId').value = f.id; openScript(); };
      li.appendChild(b); ul.appendChild(li);
    });
  };
  const load = async () => {
    try {
      const ivr = await Hotline.api('GET', '/api/ivr');
      Hotline.text('ivr', 'Published version ' + ivr.version + ': ' + (ivr.scripts.join(', ') || 'none')
        + '; calendars: ' + (ivr.calendars.join(', ') || 'none'));
      drawList(ivr.files || []);
      const pl = $('problems'); pl.replaceChildren();
      ivr.problems.forEach(p => { const li = document.createElement('li'); li.className = 'alert';
        li.textContent = p.file + ':' + p.line + ':' + p.column + ' ' + p.severity + ' ' + p.path + ': ' + p.message; pl.appendChild(li); });
      // Users and calendars: admin-users.js, admin-calendars.js.
      const audit = (await Hotline.api('GET', '/api/audit')).entries;
      const ab = $('audit'); ab.replaceChildren();
      audit.forEach(e => { const tr = document.createElement('tr');
        [new Date(e.at).toLocaleString(), e.actor + ' (' + e.role + ')', e.action, e.target, e.detail, e.address]
          .forEach(v => Hotline.cell(tr, v)); ab.appendChild(tr); });
    } catch (e) { Hotline.flash('error', e.message, 'error'); }
  };

  // ---------------------------------------------------------------- the editor and its problems
  const selectLine = line => {
    const lines = src.value.split('\n');
    const at = lines.slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
    src.focus(); src.setSelectionRange(at, at + (lines[line - 1] || '').length);
    // Selecting does not scroll a textarea: bring the line into view (a third down), the gutter follows.
    src.scrollTop = Math.max(0, (line - 1) * parseFloat(getComputedStyle(src).lineHeight) - src.clientHeight / 3);
  };
  const showProblems = problems => {
    const ul = $('scriptProblems'); ul.replaceChildren();
    const bad = new Map();
    problems.forEach(p => {
      bad.set(p.line, (bad.get(p.line) || []).concat(p.message));
      const li = document.createElement('li'); li.className = p.severity === 'error' ? 'alert' : '';
      const b = document.createElement('button');
      b.textContent = 'line ' + p.line + ', column ' + p.column + ': ' + p.severity + ' ' + (p.path ? p.path + ': ' : '') + p.message;
      b.onclick = () => selectLine(p.line);
      li.appendChild(b); ul.appendChild(li);
    });
    Hotline.text('problemCount', problems.length ? '(' + problems.length + ')' : '(none)');
    const n = src.value.split('\n').length;
    $('gutter').textContent = Array.from({ length: n }, (_, i) => (bad.has(i + 1) ? '\u25B6' : ' ') + String(i + 1).padStart(4)).join('\n');
    $('gutter').scrollTop = src.scrollTop;
  };
  const showFlow = flow => { if (typeof HotlineFlow !== 'undefined') HotlineFlow.draw(flow, selectLine); };
  const raw = async (method, path, text) => {
    const r = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + Hotline.token(), 'Content-Type': 'text/yaml' }, body: text });
    if (r.status === 401) { Hotline.leave(); throw new Error('session expired'); }
    const data = await r.json();
    return { ok: r.ok, data };
  };
  const openScript = async () => {
    try {
      const s = await Hotline.api('GET', '/api/ivr/' + encodeURIComponent(id()));
      src.value = s.source; showProblems(s.problems); showFlow(s.flow);
      status(s.published ? 'published' : 'not published');
    } catch (e) { status(e.message, 'error'); }
  };
  $('open').onclick = openScript;
  $('validate').onclick = async () => {
    const q = id() ? '?id=' + encodeURIComponent(id()) : '';
    const r = await raw('POST', '/api/ivr/validate' + q, src.value);
    if (r.ok) { showProblems(r.data.problems); showFlow(r.data.flow); status(r.data.valid ? 'valid' : 'invalid', r.data.valid ? 'ok' : 'error'); }
    else status(r.data.detail, 'error');
  };
  $('publish').onclick = async () => {
    const r = await raw('PUT', '/api/ivr/' + encodeURIComponent(id()), src.value);
    showProblems(r.data.problems || []); status(r.ok ? r.data.status + ' (version ' + r.data.version + ')' : r.data.detail, r.ok ? 'ok' : 'error'); load();
  };
  // Rolling back replaces what is live: it is asked first, in the page (the current text becomes the previous one).
  const confirmBox = $('rollbackConfirm');
  $('rollback').onclick = () => {
    if (!id()) { status('open a script first', 'error'); return; }
    Hotline.text('rollbackQuestion', 'Put back the previous version of ' + id() + '? It goes live at once; the version'
      + ' now live becomes the previous one (you can roll back again).');
    confirmBox.hidden = false;
    $('rollbackNo').focus();
  };
  $('rollbackNo').onclick = () => { confirmBox.hidden = true; status('not rolled back'); $('rollback').focus(); };
  $('rollbackYes').onclick = async () => {
    confirmBox.hidden = true;
    try {
      const r = await Hotline.api('POST', '/api/ivr/' + encodeURIComponent(id()) + '/rollback', {});
      // Reload the restored source first: opening sets the status too, and the rollback's must be the one shown.
      await openScript();
      status(r.status + ' (version ' + r.version + ')', 'ok'); load();
    } catch (e) { status(e.message, 'error'); }
    $('rollback').focus();
  };
  src.oninput = () => showProblems([]);
  // The gutter scrolls with the script, so a line's mark stays beside it.
  src.onscroll = () => { $('gutter').scrollTop = src.scrollTop; };
  await load();
  setInterval(load, 5000);
})();
