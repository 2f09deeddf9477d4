// Admin: agents, queues and skills (list, create, edit, disable / enable) with the server's validation messages.
// An agent or queue is edited in a form (the common keys; each problem the server finds is shown beside its field)
// kept in step with its JSON definition, the advanced view that holds every key (escalation steps …).
// Element ids: skills, skill-row-<name>, toggle-skill-<name>, skillName, skillDescription, skillCreate, skillSave,
// skillError; directoryAgents, dir-agent-<id>, edit-agent-<id>, toggle-agent-<id>; directoryQueues,
// dir-queue-<name>, edit-queue-<name>, toggle-queue-<name>; agentNew, queueNew, definitionTitle, definitionForm,
// def-<key> (a form field, dots as dashes: def-service_level-percent) and def-<key>-error, definitionAdvanced,
// definition (the JSON), definitionSave, definitionStatus, definitionProblems.
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
    if (id === 'definitionProblems') document.querySelectorAll('#definitionForm .error').forEach(e => { e.textContent = ''; });
    if (!data) return;
    const items = data.problems && data.problems.length
      ? data.problems.map(p => (p.path ? p.path + ': ' : '') + p.message) : [data.detail || data.error];
    items.forEach(t => { const li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
    if (id === 'definitionProblems') (data.problems || []).forEach(p => {
      // Beside the field the path starts with (skills.suport → skills; service_level.percent → itself).
      const field = FIELDS[editing.kind].find(f => p.path === f.key || (p.path || '').startsWith(f.key + '.') || (p.path || '').startsWith(f.key + '['));
      const err = field && document.getElementById(fieldId(field.key) + '-error');
      if (err) err.textContent = (err.textContent ? err.textContent + '; ' : '') + (p.path !== field.key ? p.path + ': ' : '') + p.message;
    });
  };

  // ---------------------------------------------------------------- the form, in step with the JSON
  const text = v => v === undefined || v === null ? '' : String(v);
  const list = { show: v => (v || []).join(', '), read: t => t.split(',').map(x => x.trim()).filter(x => x) };
  const levels = { show: v => Object.entries(v || {}).map(([k, n]) => k + ' ' + n).join(', '),
    read: t => Object.fromEntries(t.split(',').map(x => x.trim()).filter(x => x).map(x => {
      const [k, n] = x.split(/[\s=:]+/); return [k, n !== undefined && /^\d+$/.test(n) ? Number(n) : n === undefined ? '' : n];
    })) };
  const keys = { show: v => Object.entries(v || {}).map(([k, t]) => k + '=' + t).join(', '),
    read: t => Object.fromEntries(t.split(',').map(x => x.trim()).filter(x => x).map(x => { const i = x.indexOf('='); return i < 0 ? [x, ''] : [x.slice(0, i).trim(), x.slice(i + 1).trim()]; })) };
  const number = { show: text, read: t => t.trim() === '' ? undefined : /^-?\d+$/.test(t.trim()) ? Number(t) : t.trim() };
  const plain = { show: text, read: t => t.trim() };
  const F = (key, label, type, hint, options) => ({ key, label, type: type || plain, hint: hint || '', options });
  const STRATEGIES = ['longest-idle', 'most-skilled', 'least-occupied', 'round-robin', 'preferred-agent'];
  const FIELDS = {
    agent: [F('id', 'Work number'), F('name', 'Name'), F('endpoints', 'Phones', list, 'PJSIP/1001, …'),
      F('skills', 'Skills', levels, 'skill level, …: support 5, sales 3'), F('teams', 'Teams', list, 'team-a, …'),
      F('site', 'Site'), F('languages', 'Languages', list, 'en, fr'), F('queues', 'Queues', list, 'empty: every queue the skills meet')],
    queue: [F('name', 'Name'), F('skills', 'Skills required', levels, 'skill level, …: support 1'),
      F('priority', 'Priority', number, '0-100'), F('service_level.percent', 'Service level %', number),
      F('service_level.within', 'answered within', plain, 'e.g. 20s'), F('max_wait', 'Maximum wait', plain, 'e.g. 3m'),
      F('max_length', 'Most callers waiting', number), F('wrap_up', 'Wrap-up', plain, 'e.g. 15s'),
      F('ring_timeout', 'Ring timeout', plain, 'e.g. 15s'), F('strategy', 'Strategy', plain, '', STRATEGIES),
      F('on_timeout', 'After the maximum wait', plain, 'hangup, voicemail:BOX, transfer:NUMBER, queue:NAME'),
      F('exit_keys', 'Exit keys', keys, 'key=target, …: 1=voicemail:sales'),
      F('wallboard.waiting.warn', 'Wallboard amber at waiting', number), F('wallboard.waiting.alert', 'red at waiting', number),
      F('wallboard.longest_wait.warn', 'amber at longest wait', plain, 'e.g. 30s'), F('wallboard.longest_wait.alert', 'red at longest wait', plain),
      F('wallboard.abandoned_percent.warn', 'amber at abandoned %', number), F('wallboard.abandoned_percent.alert', 'red at abandoned %', number)],
  };
  const fieldId = key => 'def-' + key.replace(/\./g, '-');
  const getPath = (doc, key) => key.split('.').reduce((o, k) => o === undefined || o === null ? undefined : o[k], doc);
  const setPath = (doc, key, value) => {
    const parts = key.split('.'); let o = doc;
    parts.slice(0, -1).forEach(k => { if (typeof o[k] !== 'object' || o[k] === null) o[k] = {}; o = o[k]; });
    if (value === undefined || value === '') delete o[parts[parts.length - 1]]; else o[parts[parts.length - 1]] = value;
  };
  const buildForm = () => {
    const form = document.getElementById('definitionForm'); form.replaceChildren();
    FIELDS[editing.kind].forEach(f => {
      const label = document.createElement('label'); label.htmlFor = fieldId(f.key); label.textContent = f.label;
      const cell = document.createElement('div');
      let input;
      if (f.options) {
        input = document.createElement('select');
        f.options.forEach(o => { const opt = document.createElement('option'); opt.value = opt.textContent = o; input.appendChild(opt); });
      } else { input = document.createElement('input'); if (f.hint) input.placeholder = f.hint; }
      input.id = fieldId(f.key);
      const err = document.createElement('span'); err.className = 'error'; err.id = fieldId(f.key) + '-error';
      input.setAttribute('aria-describedby', err.id);
      input.addEventListener('input', formToJson); input.addEventListener('change', formToJson);
      cell.append(input, ' ', err);
      form.append(label, cell);
    });
  };
  const jsonToForm = doc => FIELDS[editing.kind].forEach(f => {
    const input = document.getElementById(fieldId(f.key)); if (input) input.value = f.type.show(getPath(doc, f.key));
  });
  function formToJson() {
    let doc;
    try { doc = JSON.parse(document.getElementById('definition').value || '{}'); } catch (e) { doc = {}; }
    FIELDS[editing.kind].forEach(f => setPath(doc, f.key, f.type.read(document.getElementById(fieldId(f.key)).value)));
    if (doc.wallboard) ['waiting', 'longest_wait', 'abandoned_percent'].forEach(k => {
      if (doc.wallboard[k] && !Object.keys(doc.wallboard[k]).length) delete doc.wallboard[k];
    });
    if (doc.wallboard && !Object.keys(doc.wallboard).length) delete doc.wallboard;
    document.getElementById('definition').value = JSON.stringify(doc, null, 2);
  }
  const setDefinition = doc => {
    buildForm();
    document.getElementById('definition').value = JSON.stringify(doc, null, 2);
    jsonToForm(doc);
  };
  document.getElementById('definitionForm').addEventListener('submit', e => e.preventDefault());
  // Typed or pasted JSON fills the form when it reads.
  document.getElementById('definition').addEventListener('input', () => {
    try { jsonToForm(JSON.parse(document.getElementById('definition').value)); } catch (e) { /* shown at saving */ }
  });
  const state = e => e.disabled ? 'disabled' : 'enabled';
  const toggle = (kind, key, e) => {
    const b = document.createElement('button'); b.id = 'toggle-' + kind + '-' + key;
    b.textContent = e.disabled ? 'Enable' : 'Disable';
    b.setAttribute('aria-label', b.textContent + ' ' + kind + ' ' + key);
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
    b.setAttribute('aria-label', 'Edit ' + kind + ' ' + key);
    b.onclick = () => {
      editing = { kind, id: key };
      Hotline.text('definitionTitle', 'Edit ' + kind + ' ' + key);
      setDefinition(definition);
      Hotline.text('definitionSave', 'Save');
      Hotline.text('definitionStatus', ''); problems('definitionProblems', null);
      document.getElementById(fieldId(FIELDS[kind][1].key)).focus();
    };
    return b;
  };
  const fresh = kind => {
    editing = { kind, id: null };
    Hotline.text('definitionTitle', 'New ' + kind);
    setDefinition(TEMPLATES[kind]);
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
      setDefinition(d);
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
