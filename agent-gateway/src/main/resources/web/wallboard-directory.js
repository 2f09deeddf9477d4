// The wallboard's live directory actions: edit an agent's skills and queues, re-prioritise a waiting call.
// Element ids: edit-<agent> (button on the agent's row), profileEditor, profileAgent, skill-<name> (level input),
// profileQueue-<name> (checkbox; not queue-<name>, the id of the queue's row on the board), saveSkills, saveQueues, closeProfile, profileStatus, profileError; waiting (tbody),
// waiting-<call> (row), priority-<call> (input), setPriority-<call> (button), waitingError.
'use strict';
(() => {
  const user = Hotline.user();
  if (!user || !['supervisor', 'admin'].includes(user.role)) return;   // wallboard.js says the page is not theirs
  let skills = [], queueNames = [], editing = null, waiting = [];
  const agentsById = new Map();

  // Like Hotline.api, but keeps the server's validation problems (path + message) for display.
  const send = async (method, path, body) => {
    const r = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + Hotline.token(),
      'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const data = await r.json();
    return { ok: r.ok, data };
  };
  const showProblems = (id, data) => {
    const ul = document.getElementById(id); ul.replaceChildren();
    const items = data.problems && data.problems.length ? data.problems.map(p => (p.path ? p.path + ': ' : '') + p.message) : [data.detail || data.error];
    items.forEach(t => { const li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
  };
  const loadCatalogue = async () => {
    try {
      skills = (await Hotline.api('GET', '/api/directory/skills')).skills;
      queueNames = (await Hotline.api('GET', '/api/directory/queues')).queues.map(q => q.definition.name);
    } catch (e) { /* the board still works without the editor */ }
  };

  const open = a => {
    editing = a.id;
    document.getElementById('profileEditor').hidden = false;
    Hotline.text('profileAgent', a.id + ' ' + a.name);
    Hotline.text('profileStatus', '');
    document.getElementById('profileError').replaceChildren();
    const tb = document.getElementById('profileSkills'); tb.replaceChildren();
    const names = new Set(skills.filter(s => !s.disabled).map(s => s.definition.name).concat(Object.keys(a.skills)));
    [...names].sort().forEach(name => {
      const tr = document.createElement('tr');
      Hotline.cell(tr, name);
      const td = Hotline.cell(tr, '');
      const input = document.createElement('input');
      input.type = 'number'; input.min = 1; input.max = 10; input.id = 'skill-' + name; input.dataset.skill = name;
      input.setAttribute('aria-label', 'level of ' + name);
      input.value = a.skills[name] === undefined ? '' : a.skills[name];
      td.appendChild(input);
      const s = skills.find(x => x.definition.name === name);
      Hotline.cell(tr, s ? s.definition.description + (s.disabled ? ' (disabled)' : '') : '');
      tb.appendChild(tr);
    });
    const qd = document.getElementById('profileQueues'); qd.replaceChildren();
    queueNames.forEach(name => {
      const label = document.createElement('label');
      const box = document.createElement('input'); box.type = 'checkbox'; box.id = 'profileQueue-' + name; box.dataset.queue = name;
      box.checked = (a.queues || []).includes(name);
      label.appendChild(box); label.appendChild(document.createTextNode(' ' + name + ' '));
      qd.appendChild(label);
    });
    document.getElementById('profileEditor').scrollIntoView({ behavior: 'smooth' });
  };

  document.getElementById('saveSkills').onclick = async () => {
    const body = {}, unreadable = [];
    document.querySelectorAll('#profileSkills input[data-skill]').forEach(i => {
      // A number field holding text reads as empty: say so rather than silently dropping the skill.
      if (i.validity.badInput) unreadable.push(i.dataset.skill + ': not a number (expected a level from 1 to 10, or empty)');
      else if (i.value.trim() !== '') body[i.dataset.skill] = Number(i.value);
    });
    if (unreadable.length) { showProblems('profileError', { problems: unreadable.map(message => ({ message })) }); return; }
    const r = await send('PUT', '/api/agents/' + encodeURIComponent(editing) + '/skills', { skills: body });
    if (r.ok) { Hotline.text('profileStatus', 'skills saved'); document.getElementById('profileError').replaceChildren(); }
    else showProblems('profileError', r.data);
  };
  document.getElementById('saveQueues').onclick = async () => {
    const chosen = [...document.querySelectorAll('#profileQueues input[data-queue]')].filter(b => b.checked).map(b => b.dataset.queue);
    const r = await send('PUT', '/api/agents/' + encodeURIComponent(editing) + '/queues', { queues: chosen });
    if (r.ok) { Hotline.text('profileStatus', 'queues saved'); document.getElementById('profileError').replaceChildren(); }
    else showProblems('profileError', r.data);
  };
  document.getElementById('closeProfile').onclick = () => { document.getElementById('profileEditor').hidden = true; editing = null; };

  const waited = c => Hotline.duration(c.waitedSeconds + (Date.now() - c.receivedAt) / 1000);
  const drawWaiting = () => {
    const tb = document.getElementById('waiting');
    // A priority being typed survives the redraw (a live update of the list) and keeps the focus.
    const active = document.activeElement;
    const focused = active && active.id && active.id.startsWith('priority-') ? active.id : null;
    const typed = focused ? active.value : null;
    tb.replaceChildren();
    waiting.forEach(c => {
      const tr = document.createElement('tr'); tr.id = 'waiting-' + c.callId;
      Hotline.cell(tr, c.queue); Hotline.cell(tr, c.position);
      Hotline.cell(tr, c.caller || (c.callback ? 'callback' : ''));
      Hotline.cell(tr, waited(c), 'waited');
      Hotline.cell(tr, c.priority, 'priority');
      const td = Hotline.cell(tr, '');
      const input = document.createElement('input'); input.type = 'number'; input.min = 0; input.max = 100;
      input.id = 'priority-' + c.callId; input.value = c.priority; input.size = 4;
      input.setAttribute('aria-label', 'priority of the call from ' + (c.caller || 'a caller') + ' in ' + c.queue);
      const b = document.createElement('button'); b.id = 'setPriority-' + c.callId; b.textContent = 'Set priority';
      b.onclick = async () => {
        Hotline.text('waitingError', '');
        if (input.value.trim() === '') { Hotline.text('waitingError', 'the call from ' + (c.caller || 'a caller') + ': enter a priority from 0 to 100 (higher is served first)'); return; }
        const r = await send('POST', '/api/calls/' + encodeURIComponent(c.callId) + '/priority', { priority: Number(input.value) });
        if (!r.ok) Hotline.text('waitingError', r.data.detail || r.data.error);
      };
      td.appendChild(input); td.appendChild(b);
      tb.appendChild(tr);
    });
    const again = focused && document.getElementById(focused);
    if (again) { again.value = typed; again.focus(); }
  };
  const keepWaiting = calls => { const now = Date.now(); waiting = calls.map(c => Object.assign(c, { receivedAt: now })); drawWaiting(); };

  document.addEventListener('hotline-live', e => {
    const m = e.detail;
    if (m.type === 'snapshot') { keepWaiting(m.waiting || []); loadCatalogue(); }
    else if (m.type === 'waiting') keepWaiting(m.calls);
    else if (m.type === 'directory' || m.type === 'queue') loadCatalogue();
    if (m.type === 'agent' && editing === m.agent.id) Hotline.text('profileStatus', 'updated: ' + Object.entries(m.agent.skills).map(([k, v]) => k + ' ' + v).join(', '));
  });

  // Called by wallboard.js for every agent row it draws.
  window.HotlineDirectory = {
    decorate(tr, a, td) {
      agentsById.set(a.id, a);
      const skillsText = Object.entries(a.skills || {}).sort().map(([k, v]) => k + ' ' + v).join(', ')
        + (a.queues && a.queues.length ? ' | queues: ' + a.queues.join(', ') : '') + (a.disabled ? ' | disabled' : '');
      tr.title = skillsText;
      const b = document.createElement('button'); b.id = 'edit-' + a.id; b.className = 'edit-profile';
      b.textContent = 'Skills / queues'; b.setAttribute('aria-label', 'Skills / queues of ' + a.name);
      b.onclick = () => open(agentsById.get(a.id));
      td.appendChild(b);
    },
  };
  // Every second only the waits tick: the rows (and their buttons) are rebuilt when the list changes, not under a
  // pointer about to click "Set priority".
  setInterval(() => waiting.forEach(c => {
    const tr = document.getElementById('waiting-' + c.callId);
    if (tr) tr.querySelector('td.waited').textContent = waited(c);
  }), 1000);
})();
