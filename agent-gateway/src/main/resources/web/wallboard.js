'use strict';
(() => {
  const user = Hotline.require(['supervisor', 'admin']);
  if (!user) return;
  Hotline.text('who', user.username + ' (' + user.role + (user.teams.length ? ', ' + user.teams.join(', ') : '') + ')');
  document.getElementById('signout').onclick = () => Hotline.logout();
  const agents = new Map();
  let queues = [];
  HotlineIntervals.init();

  const drawQueues = () => {
    const tb = document.getElementById('queues'); tb.replaceChildren();
    for (const q of queues) {
      const tr = document.createElement('tr'); tr.id = 'queue-' + q.name;
      Hotline.cell(tr, q.name);
      Hotline.cell(tr, q.waiting);
      Hotline.cell(tr, Hotline.duration(q.longestWaitSeconds));
      Hotline.cell(tr, Hotline.duration(q.estimatedWaitSeconds));
      Hotline.cell(tr, q.offered); Hotline.cell(tr, q.answered); Hotline.cell(tr, q.abandoned);
      Hotline.cell(tr, q.serviceLevel === null ? '–' : Math.round(q.serviceLevel * 100) + '% / ' + q.serviceLevelTarget.percent + '%');
      Hotline.cell(tr, q.serviceLevelInterval == null ? '–' : Math.round(q.serviceLevelInterval * 100) + '%');
      Hotline.cell(tr, q.averageSpeedOfAnswerSeconds + 's');
      Hotline.cell(tr, q.agents.ready);
      Hotline.cell(tr, q.agents['on-call'] + q.agents.ringing);
      Hotline.cell(tr, q.alerts.join('; '), 'alert');
      tb.appendChild(tr);
    }
    HotlineIntervals.show(null, queues);
    drawOverdueCallbacks();
  };

  // Overdue callbacks (promises past due + acd.callback.overdue_after), per queue: count and the oldest.
  const drawOverdueCallbacks = () => {
    const ul = document.getElementById('overdueCallbacks'); ul.replaceChildren();
    let total = 0;
    for (const q of queues) {
      const o = q.overdueCallbacks;
      if (!o || !o.count) continue;
      total += o.count;
      const li = document.createElement('li'); li.className = 'alert';
      li.textContent = q.name + ': ' + o.count + ' overdue, oldest due ' + new Date(o.oldestDueAt).toLocaleString()
        + ' (' + o.oldestOverdueMinutes + ' min ago)';
      ul.appendChild(li);
    }
    document.getElementById('callbackCard').hidden = total === 0;
  };

  const force = async (id, path, body) => {
    Hotline.text('error', '');
    try { await Hotline.api('POST', '/api/agents/' + encodeURIComponent(id) + '/' + path, body); }
    catch (e) { Hotline.text('error', e.message); }
  };

  const since = a => Hotline.duration(a.secondsInState + (Date.now() - a.receivedAt) / 1000);
  // What an agent's row shows besides the clock: the row is rebuilt only when this changes.
  const looks = a => JSON.stringify([a.name, a.teams, a.state, a.reason, a.call ? [a.call.caller, a.call.queue] : null,
    a.skills, a.queues, a.disabled]);
  // Rows are kept while they look the same and only their clock ticks: rebuilding them every second swapped the
  // buttons under the pointer, and a click landing on a replaced button was lost.
  const drawAgents = () => {
    const tb = document.getElementById('agents');
    const sorted = [...agents.values()].sort((x, y) => x.id.localeCompare(y.id));
    const shown = new Set(sorted.map(a => 'agent-' + a.id));
    [...tb.children].filter(tr => !shown.has(tr.id)).forEach(tr => tr.remove());
    sorted.forEach((a, i) => {
      let tr = tb.querySelector(':scope > tr[id="agent-' + CSS.escape(a.id) + '"]');
      const look = looks(a);
      if (tr && tr.dataset.looks === look) tr.children[3].textContent = since(a);
      else {
        const fresh = agentRow(a); fresh.dataset.looks = look;
        if (tr) tr.replaceWith(fresh); tr = fresh;
      }
      if (tb.children[i] !== tr) tb.insertBefore(tr, tb.children[i] || null);
    });
  };
  const agentRow = a => {
    const tr = document.createElement('tr'); tr.id = 'agent-' + a.id;
    Hotline.cell(tr, a.id + ' ' + a.name);
    Hotline.cell(tr, a.teams.join(', '));
    Hotline.cell(tr, a.state + (a.reason ? ' (' + a.reason + ')' : ''), a.state);
    Hotline.cell(tr, since(a));
    Hotline.cell(tr, a.call ? (a.call.caller || '') + ' ' + (a.call.queue || '') : '');
    const td = Hotline.cell(tr, '');
    if (a.state !== 'logged-out') {
      for (const [label, path, body] of [['Ready', 'ready'], ['Not ready', 'not-ready', { reason: 'coaching' }], ['Log out', 'logout']]) {
        const b = document.createElement('button'); b.textContent = label; b.id = path + '-' + a.id;   // e.g. not-ready-1004
        b.onclick = () => force(a.id, path, body); td.appendChild(b);
      }
    }
    if (a.state === 'on-call') {
      // Listen, whisper, barge: Asterisk rings the supervisor's own phone (the endpoint field above the board).
      for (const mode of ['listen', 'whisper', 'barge']) {
        const b = document.createElement('button'); b.textContent = mode[0].toUpperCase() + mode.slice(1);
        b.className = 'spy ' + mode;
        b.onclick = () => force(a.id, mode, { endpoint: document.getElementById('myPhone').value.trim() });
        td.appendChild(b);
      }
    }
    if (window.HotlineDirectory) window.HotlineDirectory.decorate(tr, a, td);
    return tr;
  };
  const keep = a => { a.receivedAt = Date.now(); agents.set(a.id, a); };

  Hotline.live(m => {
    document.dispatchEvent(new CustomEvent('hotline-live', { detail: m }));   // wallboard-directory.js listens
    if (m.type === 'snapshot') {
      agents.clear(); m.agents.forEach(keep);
      queues = m.queues; HotlineIntervals.show(m.intervals, queues); drawQueues(); drawAgents();
    } else if (m.type === 'agent') { keep(m.agent); drawAgents(); }
    else if (m.type === 'queues') { queues = m.queues; drawQueues(); }
    else if (m.type === 'intervals') HotlineIntervals.show(m.intervals, queues);
  });
  setInterval(drawAgents, 1000);
})();
