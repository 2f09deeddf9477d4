'use strict';
(() => {
  const user = Hotline.require(['supervisor', 'admin']);
  if (!user) return;
  Hotline.text('who', user.username + ' (' + user.role + (user.teams.length ? ', ' + user.teams.join(', ') : '') + ')');
  document.getElementById('signout').onclick = () => Hotline.logout();
  const agents = new Map();
  const history = {};
  let queues = [];
  const colours = ['#0b5cad', '#1a7f37', '#b35900', '#6f42c1', '#b00020'];

  const drawQueues = () => {
    const tb = document.getElementById('queues'); tb.replaceChildren();
    for (const q of queues) {
      const tr = document.createElement('tr');
      Hotline.cell(tr, q.name);
      Hotline.cell(tr, q.waiting);
      Hotline.cell(tr, Hotline.duration(q.longestWaitSeconds));
      Hotline.cell(tr, Hotline.duration(q.estimatedWaitSeconds));
      Hotline.cell(tr, q.offered); Hotline.cell(tr, q.answered); Hotline.cell(tr, q.abandoned);
      Hotline.cell(tr, q.serviceLevel === null ? '–' : Math.round(q.serviceLevel * 100) + '% / ' + q.serviceLevelTarget.percent + '%');
      Hotline.cell(tr, q.averageSpeedOfAnswerSeconds + 's');
      Hotline.cell(tr, q.agents.ready);
      Hotline.cell(tr, q.agents['on-call'] + q.agents.ringing);
      Hotline.cell(tr, q.alerts.join('; '), 'alert');
      tb.appendChild(tr);
      const h = history[q.name] || (history[q.name] = []);
      const last = h[h.length - 1];
      if (!last || Date.now() - Date.parse(last.at) >= 10000) h.push({ at: new Date().toISOString(), serviceLevel: q.serviceLevel });
      while (h.length > 360) h.shift();
    }
    drawChart();
  };

  const drawChart = () => {
    const c = document.getElementById('chart'); const g = c.getContext('2d');
    const w = c.width, h = c.height, pad = 30;
    g.clearRect(0, 0, w, h);
    g.strokeStyle = '#ccc'; g.fillStyle = '#555'; g.font = '12px sans-serif';
    for (const pct of [0, 50, 80, 100]) {
      const y = h - pad - (h - 2 * pad) * pct / 100;
      g.beginPath(); g.moveTo(pad, y); g.lineTo(w - 10, y); g.stroke(); g.fillText(pct + '%', 2, y + 4);
    }
    const now = Date.now(), span = 3600 * 1000;
    Object.keys(history).forEach((name, i) => {
      g.strokeStyle = colours[i % colours.length]; g.fillStyle = g.strokeStyle; g.lineWidth = 2;
      g.beginPath(); let started = false;
      for (const p of history[name]) {
        if (p.serviceLevel === null) continue;
        const x = pad + (w - pad - 10) * (1 - (now - Date.parse(p.at)) / span);
        const y = h - pad - (h - 2 * pad) * p.serviceLevel;
        if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
      }
      g.stroke(); g.fillText(name, pad + 10 + i * 90, h - 8); g.lineWidth = 1;
    });
  };

  const force = async (id, path, body) => {
    Hotline.text('error', '');
    try { await Hotline.api('POST', '/api/agents/' + encodeURIComponent(id) + '/' + path, body); }
    catch (e) { Hotline.text('error', e.message); }
  };

  const drawAgents = () => {
    const tb = document.getElementById('agents'); tb.replaceChildren();
    for (const a of [...agents.values()].sort((x, y) => x.id.localeCompare(y.id))) {
      const tr = document.createElement('tr'); tr.id = 'agent-' + a.id;
      Hotline.cell(tr, a.id + ' ' + a.name);
      Hotline.cell(tr, a.teams.join(', '));
      Hotline.cell(tr, a.state + (a.reason ? ' (' + a.reason + ')' : ''), a.state);
      Hotline.cell(tr, Hotline.duration(a.secondsInState + (Date.now() - a.receivedAt) / 1000));
      Hotline.cell(tr, a.call ? (a.call.caller || '') + ' ' + (a.call.queue || '') : '');
      const td = Hotline.cell(tr, '');
      if (a.state !== 'logged-out') {
        for (const [label, path, body] of [['Ready', 'ready'], ['Not ready', 'not-ready', { reason: 'coaching' }], ['Log out', 'logout']]) {
          const b = document.createElement('button'); b.textContent = label; b.onclick = () => force(a.id, path, body); td.appendChild(b);
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
      tb.appendChild(tr);
    }
  };
  const keep = a => { a.receivedAt = Date.now(); agents.set(a.id, a); };

  Hotline.live(m => {
    document.dispatchEvent(new CustomEvent('hotline-live', { detail: m }));   // wallboard-directory.js listens
    if (m.type === 'snapshot') {
      agents.clear(); m.agents.forEach(keep);
      Object.assign(history, m.history || {});
      queues = m.queues; drawQueues(); drawAgents();
    } else if (m.type === 'agent') { keep(m.agent); drawAgents(); }
    else if (m.type === 'queues') { queues = m.queues; drawQueues(); }
  });
  setInterval(drawAgents, 1000);
})();
