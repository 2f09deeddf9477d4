'use strict';
(async () => {
  const user = Hotline.require(['admin']);
  if (!user) return;
  Hotline.text('who', user.username);
  document.getElementById('signout').onclick = () => Hotline.logout();
  const load = async () => {
    try {
      const ivr = await Hotline.api('GET', '/api/ivr');
      Hotline.text('ivr', 'Published version ' + ivr.version + ': ' + (ivr.scripts.join(', ') || 'none')
        + '; calendars: ' + (ivr.calendars.join(', ') || 'none'));
      const pl = document.getElementById('problems'); pl.replaceChildren();
      ivr.problems.forEach(p => { const li = document.createElement('li'); li.className = 'alert';
        li.textContent = p.file + ':' + p.line + ':' + p.column + ' ' + p.severity + ' ' + p.path + ': ' + p.message; pl.appendChild(li); });
      // Users and calendars: admin-users.js, admin-calendars.js.
      const audit = (await Hotline.api('GET', '/api/audit')).entries;
      const ab = document.getElementById('audit'); ab.replaceChildren();
      audit.forEach(e => { const tr = document.createElement('tr');
        [new Date(e.at).toLocaleString(), e.actor + ' (' + e.role + ')', e.action, e.target, e.detail, e.address]
          .forEach(v => Hotline.cell(tr, v)); ab.appendChild(tr); });
    } catch (e) { Hotline.text('error', e.message); }
  };
  // The script editor: problems are listed with their line and marked in the gutter next to that line.
  const src = document.getElementById('source');
  const id = () => document.getElementById('scriptId').value.trim();
  const showProblems = problems => {
    const ul = document.getElementById('scriptProblems'); ul.replaceChildren();
    const bad = new Map();
    problems.forEach(p => {
      bad.set(p.line, (bad.get(p.line) || []).concat(p.message));
      const li = document.createElement('li'); li.className = 'alert';
      li.textContent = 'line ' + p.line + ', column ' + p.column + ': ' + p.severity + ' ' + p.path + ': ' + p.message;
      li.onclick = () => { const lines = src.value.split('\n'); const at = lines.slice(0, p.line - 1).join('\n').length + (p.line > 1 ? 1 : 0);
        src.focus(); src.setSelectionRange(at, at + (lines[p.line - 1] || '').length);
        // Selecting does not scroll a textarea: bring the line into view (a third down), the gutter follows.
        src.scrollTop = Math.max(0, (p.line - 1) * parseFloat(getComputedStyle(src).lineHeight) - src.clientHeight / 3); };
      ul.appendChild(li);
    });
    const n = src.value.split('\n').length;
    document.getElementById('gutter').textContent = Array.from({ length: n }, (_, i) => (bad.has(i + 1) ? '\u25B6' : ' ') + String(i + 1).padStart(4)).join('\n');
    document.getElementById('gutter').scrollTop = src.scrollTop;
  };
  const raw = async (method, path, text) => {
    const r = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + Hotline.token(), 'Content-Type': 'text/yaml' }, body: text });
    const data = await r.json();
    return { ok: r.ok, data };
  };
  const status = t => Hotline.text('scriptStatus', t);
  document.getElementById('open').onclick = async () => {
    try { const s = await Hotline.api('GET', '/api/ivr/' + encodeURIComponent(id())); src.value = s.source; showProblems(s.problems);
      status(s.published ? 'published' : 'not published'); } catch (e) { status(e.message); }
  };
  document.getElementById('validate').onclick = async () => {
    const q = id() ? '?id=' + encodeURIComponent(id()) : '';
    const r = await raw('POST', '/api/ivr/validate' + q, src.value);
    if (r.ok) { showProblems(r.data.problems); status(r.data.valid ? 'valid' : 'invalid'); } else status(r.data.detail);
  };
  document.getElementById('publish').onclick = async () => {
    const r = await raw('PUT', '/api/ivr/' + encodeURIComponent(id()), src.value);
    showProblems(r.data.problems || []); status(r.ok ? r.data.status + ' (version ' + r.data.version + ')' : r.data.detail); load();
  };
  document.getElementById('rollback').onclick = async () => {
    try { const r = await Hotline.api('POST', '/api/ivr/' + encodeURIComponent(id()) + '/rollback', {});
      // Reload the restored source first: opening sets the status too, and the rollback's must be the one shown.
      await document.getElementById('open').onclick();
      status(r.status + ' (version ' + r.version + ')'); load(); } catch (e) { status(e.message); }
  };
  src.oninput = () => showProblems([]);
  // The gutter scrolls with the script, so a line's mark stays beside it.
  src.onscroll = () => { document.getElementById('gutter').scrollTop = src.scrollTop; };
  await load();
  setInterval(load, 5000);
})();
