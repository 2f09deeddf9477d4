// The wallboard: a tile per queue coloured by the queue's thresholds (status from the gateway), the agents by state
// (not ready by reason), queue details, the agent board with force / listen / whisper / barge (a phone picker; errors
// in words that clear themselves), and a TV mode (/wallboard?tv: large type, no controls, queues rotating every
// ?rotate= seconds, ?per= tiles a page) for a screen on the wall.
'use strict';
(async () => {
  const user = Hotline.require(['supervisor', 'admin']);
  if (!user) return;
  const $ = id => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const tv = params.has('tv');
  const rotateSeconds = Math.max(3, Number(params.get('rotate')) || 10);
  const perPage = Math.max(1, Number(params.get('per')) || 4);
  if (tv) document.body.classList.add('tv');
  Hotline.text('who', user.username + ' (' + user.role + (user.teams.length ? ', ' + user.teams.join(', ') : '') + ')');
  $('signout').onclick = () => Hotline.logout();
  const agents = new Map();
  let queues = [];
  let tvPage = 0;
  HotlineIntervals.init();

  // ---------------------------------------------------------------- tiles
  const WORDS = { ok: '', warn: ' (warning)', alert: ' (alert)' };
  const percent = v => v === null || v === undefined ? '–' : Math.round(v) + '%';
  const figure = (name, value, status, title) => {
    const d = document.createElement('div'); d.className = 'figure ' + (status || 'ok');
    const v = document.createElement('span'); v.className = 'value'; v.textContent = value;
    const n = document.createElement('span'); n.className = 'name'; n.textContent = name;
    const w = document.createElement('span'); w.className = 'visually-hidden'; w.textContent = WORDS[status || 'ok'];
    d.append(v, n, w);
    if (title) d.title = title;
    return d;
  };
  const worst = s => Object.values(s || {}).includes('alert') ? 'alert' : Object.values(s || {}).includes('warn') ? 'warn' : 'ok';
  const tile = q => {
    const t = q.thresholds, s = q.status || {};
    const el = document.createElement('article'); el.className = 'tile ' + worst(s); el.id = 'tile-' + q.name;
    el.setAttribute('aria-label', 'queue ' + q.name);
    const h = document.createElement('h3'); h.textContent = Hotline.label(q.name) + (q.disabled ? ' (disabled)' : ''); el.appendChild(h);
    const f = document.createElement('div'); f.className = 'figures';
    f.append(
      figure('waiting', q.waiting, s.waiting, 'amber at ' + t.waiting.warn + ', red at ' + t.waiting.alert),
      figure('longest wait', Hotline.duration(q.longestWaitSeconds), s.longestWait, 'amber at ' + t.longestWaitSeconds.warn + ' s, red at ' + t.longestWaitSeconds.alert + ' s'),
      figure('SL today / ' + q.serviceLevelTarget.percent + '%', q.serviceLevel === null ? '–' : percent(q.serviceLevel * 100), s.serviceLevel,
        'answered within ' + q.serviceLevelTarget.withinSeconds + ' s; amber below ' + q.serviceLevelTarget.percent + '%, red below ' + t.serviceLevelAlertPercent + '%'),
      figure('ASA', q.averageSpeedOfAnswerSeconds + ' s', s.asa, 'average speed of answer; amber at ' + t.asaSeconds.warn + ' s, red at ' + t.asaSeconds.alert + ' s'),
      figure('abandoned', percent(q.abandonedPercent), s.abandoned, 'amber at ' + t.abandonedPercent.warn + '%, red at ' + t.abandonedPercent.alert + '%'),
      figure('agents ready', q.agents.ready, 'ok'));
    el.appendChild(f);
    return el;
  };
  const drawTiles = () => {
    const box = $('tiles'); box.replaceChildren();
    const pages = Math.max(1, Math.ceil(queues.length / perPage));
    tvPage %= pages;
    queues.forEach((q, i) => {
      const el = tile(q);
      if (tv && Math.floor(i / perPage) !== tvPage) el.classList.add('hidden-in-tv');
      box.appendChild(el);
    });
    Hotline.text('tvPage', tv && pages > 1 ? '(' + (tvPage + 1) + ' of ' + pages + ')' : '');
  };

  // ---------------------------------------------------------------- queue details
  const drawQueues = () => {
    drawTiles();
    const tb = $('queues'); tb.replaceChildren();
    for (const q of queues) {
      const tr = document.createElement('tr'); tr.id = 'queue-' + q.name;
      Hotline.cell(tr, q.name);
      Hotline.cell(tr, q.waiting);
      Hotline.cell(tr, Hotline.duration(q.longestWaitSeconds));
      Hotline.cell(tr, q.estimatedWaitSeconds == null ? "—" : Hotline.duration(q.estimatedWaitSeconds));
      Hotline.cell(tr, q.offered); Hotline.cell(tr, q.answered); Hotline.cell(tr, q.abandoned);
      Hotline.cell(tr, q.serviceLevel === null ? '–' : Math.round(q.serviceLevel * 100) + '% / ' + q.serviceLevelTarget.percent + '%');
      Hotline.cell(tr, q.serviceLevelInterval == null ? '–' : Math.round(q.serviceLevelInterval * 100) + '%');
      Hotline.cell(tr, q.averageSpeedOfAnswerSeconds + 's');
      Hotline.cell(tr, q.agents.ready);
      Hotline.cell(tr, q.agents['on-call'] + q.agents.ringing);
      const td = Hotline.cell(tr, q.alerts.length ? q.alerts.length + (q.alerts.length === 1 ? ' alert' : ' alerts') : '', q.alerts.length ? 'alert' : '');
      td.title = q.alerts.join('\n');
      tb.appendChild(tr);
    }
    HotlineIntervals.show(null, queues);
    drawOverdueCallbacks();
  };

  // Overdue callbacks (promises past due + acd.callback.overdue_after), per queue: count and the oldest.
  const drawOverdueCallbacks = () => {
    const ul = $('overdueCallbacks'); ul.replaceChildren();
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
    $('callbackCard').hidden = total === 0;
  };

  // ---------------------------------------------------------------- agents by state
  const drawSummary = () => {
    const counts = new Map([['ready', 0], ['ringing', 0], ['on call', 0], ['wrap-up', 0]]);
    const reasons = new Map();
    let loggedOut = 0;
    for (const a of agents.values()) {
      if (a.state === 'logged-out') loggedOut++;
      else if (a.state === 'not-ready') reasons.set(a.reason || 'other', (reasons.get(a.reason || 'other') || 0) + 1);
      else { const k = a.state === 'on-call' ? 'on call' : a.state; counts.set(k, (counts.get(k) || 0) + 1); }
    }
    const ul = $('summary'); ul.replaceChildren();
    const item = (id, count, text) => {
      const li = document.createElement('li'); li.id = id;
      const c = document.createElement('span'); c.className = 'count'; c.textContent = count;
      li.append(c, document.createTextNode(text)); ul.appendChild(li);
    };
    counts.forEach((n, k) => item('summary-' + k.replace(' ', '-'), n, k));
    [...reasons.entries()].sort().forEach(([r, n]) => item('summary-not-ready-' + r, n, 'not ready: ' + Hotline.label(r)));
    if (!reasons.size) item('summary-not-ready', 0, 'not ready');
    item('summary-logged-out', loggedOut, 'logged out');
    Hotline.text('summaryScope', user.role === 'admin' ? '(all teams)' : '(' + user.teams.join(', ') + ')');
  };

  // ---------------------------------------------------------------- force, listen / whisper / barge
  const phones = await Hotline.api('GET', '/api/phones').catch(() => ({ supervisorPhones: [] }));
  const remembered = JSON.parse(localStorage.getItem('hotline.spyPhones.' + user.username) || '[]');
  const fillPhones = () => {
    const list = $('phoneList'); list.replaceChildren();
    [...new Set(phones.supervisorPhones.concat(remembered))].forEach(p => { const o = document.createElement('option'); o.value = p; list.appendChild(o); });
  };
  fillPhones();
  $('myPhone').value = localStorage.getItem('hotline.spyPhone.' + user.username) || phones.supervisorPhones[0] || '';
  const force = async (id, path, body) => {
    try { await Hotline.api('POST', '/api/agents/' + encodeURIComponent(id) + '/' + path, body); Hotline.flash('error', ''); }
    catch (e) { Hotline.flash('error', e.message, 'error', 10); }
  };
  const spy = async (a, mode) => {
    const phone = $('myPhone').value.trim();
    if (!phone) {
      Hotline.flash('error', 'Choose your phone first (e.g. PJSIP/2001): Asterisk rings it and connects it to '
        + a.name + '\'s call.', 'error', 10);
      $('myPhone').focus();
      return;
    }
    Hotline.flash('error', '');
    Hotline.flash('spyStatus', 'ringing ' + phone + ' to ' + mode + ' to ' + a.name + '…', 'ok', 30);
    try {
      await Hotline.api('POST', '/api/agents/' + encodeURIComponent(a.id) + '/' + mode, { endpoint: phone });
      Hotline.flash('spyStatus', mode + ': ' + phone + ' is connected to ' + a.name + '\'s call', 'ok', 10);
      Hotline.announce(mode + ' started on ' + a.name);
      localStorage.setItem('hotline.spyPhone.' + user.username, phone);
      if (!remembered.includes(phone)) { remembered.push(phone); localStorage.setItem('hotline.spyPhones.' + user.username, JSON.stringify(remembered.slice(-5))); fillPhones(); }
    } catch (e) {
      Hotline.flash('spyStatus', '');
      Hotline.flash('error', e.message, 'error', 12);
      if (e.field === 'endpoint') $('myPhone').focus();
    }
  };

  const since = a => Hotline.duration(a.secondsInState + (Date.now() - a.receivedAt) / 1000);
  // What an agent's row shows besides the clock: the row is rebuilt only when this changes.
  const looks = a => JSON.stringify([a.name, a.teams, a.state, a.reason, a.call ? [a.call.caller, a.call.queue] : null,
    a.skills, a.queues, a.disabled, a.next, a.readyAt]);
  // Rows are kept while they look the same and only their clock ticks: rebuilding them every second swapped the
  // buttons under the pointer, and a click landing on a replaced button was lost.
  const drawAgents = () => {
    const tb = $('agents');
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
  const button = (label, id, onclick, cls, description) => {
    const b = document.createElement('button'); b.textContent = label; if (id) b.id = id; if (cls) b.className = cls;
    if (description) b.setAttribute('aria-label', description);
    b.onclick = onclick; return b;
  };
  const agentRow = a => {
    const tr = document.createElement('tr'); tr.id = 'agent-' + a.id;
    Hotline.cell(tr, a.id + ' ' + a.name);
    Hotline.cell(tr, a.teams.join(', '));
    const back = a.readyAt ? ', back ' + new Date(a.readyAt).toLocaleTimeString() : '';
    Hotline.cell(tr, a.state + (a.reason ? ' (' + a.reason + back + ')' : '') + (a.next ? ', then not ready (' + a.next.reason + ')' : ''), a.state);
    Hotline.cell(tr, since(a));
    Hotline.cell(tr, a.call ? (a.call.caller || '') + ' ' + (a.call.queue || '') : '');
    const td = Hotline.cell(tr, '');
    if (a.state !== 'logged-out') {
      for (const [label, path, body] of [['Ready', 'ready'], ['Not ready', 'not-ready', { reason: 'coaching' }], ['Log out', 'logout']]) {
        td.appendChild(button(label, path + '-' + a.id, () => force(a.id, path, body), '', label + ': ' + a.name));   // e.g. not-ready-1004
      }
    }
    if (a.state === 'on-call') {
      // Listen, whisper, barge: Asterisk rings the supervisor's own phone (chosen above the board).
      for (const mode of ['listen', 'whisper', 'barge']) {
        td.appendChild(button(mode[0].toUpperCase() + mode.slice(1), mode + '-' + a.id, () => spy(a, mode), 'spy ' + mode,
          mode[0].toUpperCase() + mode.slice(1) + ' to ' + a.name + '\'s call'));
      }
    }
    if (window.HotlineDirectory) window.HotlineDirectory.decorate(tr, a, td);
    return tr;
  };
  const keep = a => { a.receivedAt = Date.now(); agents.set(a.id, a); };

  if (tv) {
    // TV: the next page of queues every few seconds, and the chart follows the first queue shown.
    setInterval(() => {
      tvPage++;
      drawTiles();
      const first = queues[(tvPage % Math.max(1, Math.ceil(queues.length / perPage))) * perPage];
      if (first) HotlineIntervals.select(first.name);
    }, rotateSeconds * 1000);
  }

  Hotline.live(m => {
    document.dispatchEvent(new CustomEvent('hotline-live', { detail: m }));   // wallboard-directory.js listens
    if (m.type === 'snapshot') {
      agents.clear(); m.agents.forEach(keep);
      queues = m.queues; HotlineIntervals.show(m.intervals, queues); drawQueues(); drawAgents(); drawSummary();
    } else if (m.type === 'agent') { keep(m.agent); drawAgents(); drawSummary(); }
    else if (m.type === 'queues') { queues = m.queues; drawQueues(); }
    else if (m.type === 'intervals') HotlineIntervals.show(m.intervals, queues);
  });
  setInterval(drawAgents, 1000);
})();
