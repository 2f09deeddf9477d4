// Admin page, Users section: list, create, change role / agent / teams, reset a password, disable / enable.
// The server's validation message is shown next to the field it names ("field" in the error body).
'use strict';
(() => {
  if (!Hotline.require(['admin'])) return;
  const $ = id => document.getElementById(id);
  const FIELDS = { username: 'userUsername', password: 'userPassword', role: 'userRole', agentId: 'userAgentId', teams: 'userTeams' };
  let editing = null; // username being edited, or null for a new user
  const send = async (method, path, body) => {
    const r = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + Hotline.token(), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { Hotline.leave(); throw new Error('session expired'); }
    return { ok: r.ok, status: r.status, data: await r.json() };
  };
  const clearErrors = () => { Object.values(FIELDS).forEach(f => Hotline.text(f + 'Error', '')); Hotline.text('userStatus', ''); };
  const showError = data => {
    const el = data.field && FIELDS[data.field.replace(/\[.*$/, '')];
    if (el) Hotline.text(el + 'Error', data.detail); else Hotline.text('userStatus', data.detail || data.error);
  };
  const fill = u => {
    editing = u ? u.username : null;
    clearErrors();
    $('userFormTitle').textContent = u ? 'Edit ' + u.username : 'New user';
    $('userUsername').value = u ? u.username : ''; $('userUsername').disabled = !!u;
    $('userPassword').value = '';
    $('userPassword').placeholder = u ? 'new password (for Reset password)' : '';
    $('userRole').value = u ? u.role : 'agent';
    $('userAgentId').value = u && u.agentId ? u.agentId : '';
    $('userTeams').value = u ? u.teams.join(', ') : '';
    $('userSave').textContent = u ? 'Save changes' : 'Create';
    $('userResetPassword').disabled = !u;
  };
  const teams = () => $('userTeams').value.split(',').map(t => t.trim()).filter(t => t);
  const load = async () => {
    try {
      const list = await Hotline.api('GET', '/api/users');
      Hotline.text('usersReadOnly', list.writable ? '' : 'Read-only: ' + list.readOnlyReason);
      const tb = $('users');
      // Redrawn only when the users changed: a periodic redraw swapped the buttons under the pointer.
      const key = JSON.stringify(list.users);
      if (tb.dataset.shown === key) return;
      tb.dataset.shown = key; tb.replaceChildren();
      list.users.forEach(u => {
        const tr = document.createElement('tr'); tr.id = 'user-' + u.username;
        [u.username, u.role, u.agentId || '', u.teams.join(', '), u.enabled ? 'enabled' : 'disabled',
          new Date(u.updatedAt).toLocaleString() + ' by ' + u.updatedBy].forEach(v => Hotline.cell(tr, v));
        const td = Hotline.cell(tr, '');
        const edit = document.createElement('button'); edit.id = 'user-edit-' + u.username; edit.textContent = 'Edit';
        edit.onclick = () => fill(u);
        const toggle = document.createElement('button'); toggle.id = 'user-toggle-' + u.username;
        toggle.textContent = u.enabled ? 'Disable' : 'Enable';
        toggle.onclick = async () => {
          const r = await send('POST', '/api/users/' + encodeURIComponent(u.username) + (u.enabled ? '/disable' : '/enable'), {});
          Hotline.text('userStatus', r.ok ? u.username + ' ' + (r.data.enabled ? 'enabled' : 'disabled') : r.data.detail);
          load();
        };
        td.append(edit, ' ', toggle);
        tb.appendChild(tr);
      });
    } catch (e) { Hotline.text('userStatus', e.message); }
  };
  $('userForm').onsubmit = async ev => {
    ev.preventDefault(); clearErrors();
    const agentId = $('userAgentId').value.trim();
    let r;
    if (editing) {
      r = await send('PATCH', '/api/users/' + encodeURIComponent(editing), { role: $('userRole').value, agentId: agentId || null, teams: teams() });
    } else {
      const body = { username: $('userUsername').value.trim(), password: $('userPassword').value, role: $('userRole').value, teams: teams() };
      if (agentId) body.agentId = agentId;
      r = await send('POST', '/api/users', body);
    }
    if (!r.ok) { showError(r.data); return; }
    const done = (editing ? 'saved ' : 'created ') + r.data.username;
    fill(r.data); load();
    Hotline.text('userStatus', done);   // after fill(), which clears the form's messages
  };
  $('userResetPassword').onclick = async () => {
    clearErrors();
    const r = await send('POST', '/api/users/' + encodeURIComponent(editing) + '/password', { password: $('userPassword').value });
    if (!r.ok) { showError(r.data); return; }
    $('userPassword').value = '';
    Hotline.text('userStatus', 'password of ' + editing + ' reset; their sessions were ended');
  };
  $('userNew').onclick = () => fill(null);
  fill(null);
  load();
  setInterval(load, 10000);
})();
