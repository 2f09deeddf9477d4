// Admin: agents, queues and skills (list, create, edit, disable / enable) with the server's validation messages.
// Element ids: skills, skill-row-<name>, toggle-skill-<name>, skillName, skillDescription, skillCreate, skillSave,
// skillError; directoryAgents, dir-agent-<id>, edit-agent-<id>, toggle-agent-<id>; directoryQueues,
// dir-queue-<name>, edit-queue-<name>, toggle-queue-<name>; agentNew, queueNew, definitionTitle, definition,
// definitionSave, definitionStatus, definitionProblems.
'use strict';
(() => {
  const user = Hotline.require(['admin']);
  if (!user) return;
  // What the editor holds: {kind: 'agent'|'queue', id: null for a new entry}.
  let editing = { kind: 'agent', id: null };
  const TEMPLATES = {
    agent: { id: '', name: '', endpoints: ['PJSIP/'], skills: {}, teams: [], site: '', languages: [], queues: [] },
    queue: { name: '', skills: {}, priority: 0, service_level: { percent: 80, within: '20s' }, max_wait: '3m',
      max_length: 100, wrap_up: '15s', ring_timeout: '15s', strategy: 'longest-idle', on_timeout: 'hangup',
      exit_keys: {}, escalation: [] },
  };

  const send = async (method, path, body) => {
    const r = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + Hotline.token(),
      'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { Hotline.leave(); throw new Error('session expired'); }
    return { ok: r.ok, status: r.status, data: await r.json() };
  };
  const problems = (id, data) => {
    const ul = document.getElementById(id); ul.replaceChildren();
    if (!data) return;
    const items = data.problems && data.problems.length
      ? data.problems.map(p => (p.path ? p.path + ': ' : '') + p.message) : [data.detail || data.error];
    items.forEach(t => { const li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
  };
  const state = e => e.disabled ? 'disabled' : 'enabled';
  const toggle = (kind, key, e) => {
    const b = document.createElement('button'); b.id = 'toggle-' + kind + '-' + key;
    b.textContent = e.disabled ? 'Enable' : 'Disable';
    b.onclick = async () => {
      const path = '/api/directory/' + kind + 's/' + encodeURIComponent(key) + '/' + (e.disabled ? 'enable' : 'disable');
      const r = await send('POST', path);
      problems(kind === 'skill' ? 'skillError' : 'definitionProblems', r.ok ? null : r.data);
      load();
    };
    return b;
  };
  const edit = (kind, key, definition) => {
    const b = document.createElement('button'); b.id = 'edit-' + kind + '-' + key; b.textContent = 'Edit';
    b.onclick = () => {
      editing = { kind, id: key };
      Hotline.text('definitionTitle', 'Edit ' + kind + ' ' + key);
      document.getElementById('definition').value = JSON.stringify(definition, null, 2);
      Hotline.text('definitionSave', 'Save');
      Hotline.text('definitionStatus', ''); problems('definitionProblems', null);
      document.getElementById('definition').focus();
    };
    return b;
  };
  const fresh = kind => {
    editing = { kind, id: null };
    Hotline.text('definitionTitle', 'New ' + kind);
    document.getElementById('definition').value = JSON.stringify(TEMPLATES[kind], null, 2);
    Hotline.text('definitionSave', 'Create');
    Hotline.text('definitionStatus', ''); problems('definitionProblems', null);
  };
  const map = m => Object.entries(m).sort().map(([k, v]) => k + ' ' + v).join(', ');

  // Empties a table for redrawing when its rows' data changed; keeps it (and the buttons a pointer may be on) when
  // the periodic refresh brings nothing new: a click on a button replaced meanwhile was lost.
  const changed = (tbody, list) => {
    const key = JSON.stringify(list);
    if (tbody.dataset.shown === key) return false;
    tbody.dataset.shown = key; tbody.replaceChildren(); return true;
  };
  const load = async () => {
    try {
      const skills = (await Hotline.api('GET', '/api/directory/skills')).skills;
      const sb = document.getElementById('skills');
      if (changed(sb, skills)) skills.forEach(e => {
        const d = e.definition; const tr = document.createElement('tr'); tr.id = 'skill-row-' + d.name;
        [d.name, d.description, e.origin, state(e)].forEach(v => Hotline.cell(tr, v));
        const td = Hotline.cell(tr, ''); td.appendChild(toggle('skill', d.name, e));
        const pick = document.createElement('button'); pick.textContent = 'Describe'; pick.id = 'describe-skill-' + d.name;
        pick.onclick = () => { document.getElementById('skillName').value = d.name; document.getElementById('skillDescription').value = d.description; };
        td.appendChild(pick);
        sb.appendChild(tr);
      });
      const agents = (await Hotline.api('GET', '/api/directory/agents')).agents;
      const ab = document.getElementById('directoryAgents');
      if (changed(ab, agents)) agents.forEach(e => {
        const d = e.definition; const tr = document.createElement('tr'); tr.id = 'dir-agent-' + d.id;
        [d.id + ' ' + d.name, d.teams.join(', '), map(d.skills), d.queues.length ? d.queues.join(', ') : 'all by skills',
          e.origin, state(e)].forEach(v => Hotline.cell(tr, v));
        const td = Hotline.cell(tr, ''); td.appendChild(edit('agent', d.id, d)); td.appendChild(toggle('agent', d.id, e));
        ab.appendChild(tr);
      });
      const queues = (await Hotline.api('GET', '/api/directory/queues')).queues;
      const qb = document.getElementById('directoryQueues');
      if (changed(qb, queues)) queues.forEach(e => {
        const d = e.definition; const tr = document.createElement('tr'); tr.id = 'dir-queue-' + d.name;
        [d.name, map(d.skills), d.service_level.percent + '% in ' + d.service_level.within, d.max_wait, d.strategy,
          e.origin, state(e)].forEach(v => Hotline.cell(tr, v));
        const td = Hotline.cell(tr, ''); td.appendChild(edit('queue', d.name, d)); td.appendChild(toggle('queue', d.name, e));
        qb.appendChild(tr);
      });
    } catch (e) { Hotline.text('error', e.message); }
  };

  document.getElementById('agentNew').onclick = () => fresh('agent');
  document.getElementById('queueNew').onclick = () => fresh('queue');
  document.getElementById('definitionSave').onclick = async () => {
    let body;
    try { body = JSON.parse(document.getElementById('definition').value); }
    catch (e) { problems('definitionProblems', { detail: 'not valid JSON: ' + e.message }); return; }
    const base = '/api/directory/' + editing.kind + 's';
    const r = editing.id === null ? await send('POST', base, body)
      : await send('PUT', base + '/' + encodeURIComponent(editing.id), body);
    if (r.ok) {
      problems('definitionProblems', null);
      const d = r.data.definition;
      editing.id = editing.kind === 'agent' ? d.id : d.name;
      Hotline.text('definitionTitle', 'Edit ' + editing.kind + ' ' + editing.id);
      Hotline.text('definitionSave', 'Save');
      Hotline.text('definitionStatus', 'saved, in effect now');
      document.getElementById('definition').value = JSON.stringify(d, null, 2);
      load();
    } else {
      Hotline.text('definitionStatus', r.status === 503 ? 'database unreachable: nothing changed' : 'not saved');
      problems('definitionProblems', r.data);
    }
  };
  const skillBody = () => ({ name: document.getElementById('skillName').value.trim(),
    description: document.getElementById('skillDescription').value });
  document.getElementById('skillCreate').onclick = async () => {
    const r = await send('POST', '/api/directory/skills', skillBody());
    problems('skillError', r.ok ? null : r.data); if (r.ok) load();
  };
  document.getElementById('skillSave').onclick = async () => {
    const b = skillBody();
    const r = await send('PUT', '/api/directory/skills/' + encodeURIComponent(b.name), { description: b.description });
    problems('skillError', r.ok ? null : r.data); if (r.ok) load();
  };
  fresh('agent');
  load();
  setInterval(() => { if (!document.activeElement || document.activeElement.tagName !== 'TEXTAREA') load(); }, 10000);
})();
