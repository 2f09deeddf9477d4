// Quality page: tabs by role, finding calls, hearing a recording (the audio element fetches the ticket URL with range
// requests), the report's due day. Scoring and evaluations: qa-score.js; sampling: qa-sampling.js; recording
// policies, live control, retention and forms: qa-admin.js.
// Stable ids for tests: call rows #call-<callId> (ids hold '/' and '.': select them as [id='call-…']) with buttons
// .play, .download, .score; #player (audio), #playerStatus; #dueBanner.
'use strict';
const QA = {
  user: null,
  $: id => document.getElementById(id),
  tabs: { agent: ['evaluations', 'calls'], supervisor: ['calls', 'evaluations', 'sampling', 'recording'],
          qa: ['calls', 'evaluations', 'sampling', 'recording'], admin: ['calls', 'evaluations', 'sampling', 'recording', 'forms'] },
  onTab: {},
  show(tab) {
    document.querySelectorAll('section.tab').forEach(s => { s.hidden = s.id !== tab; });
    document.querySelectorAll('#tabs button').forEach(b => b.classList.toggle('active', b.dataset.tab === tab));
    if (QA.onTab[tab]) QA.onTab[tab]();
  },
  when: iso => iso ? new Date(iso).toLocaleString() : '',
  month: () => { const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0'); },
  error(id, e) { QA.$(id).textContent = e ? (e.message || String(e)) : ''; },
  button(label, cls, onclick) { const b = document.createElement('button'); b.textContent = label; b.className = cls; b.onclick = onclick; return b; },
};

document.addEventListener('DOMContentLoaded', async () => {
  // After every qa-*.js has added its tab handlers.
  const user = Hotline.require(['agent', 'supervisor', 'qa', 'admin']);
  if (!user) return;
  QA.user = user;
  Hotline.text('who', user.username + ' (' + user.role + (user.agentId ? ' ' + user.agentId : '') + ')');
  QA.$('signout').onclick = () => Hotline.logout();
  QA.$('navHome').href = { agent: '/agent', supervisor: '/wallboard', qa: '/qa', admin: '/admin' }[user.role];
  QA.$('navReport').hidden = user.role === 'agent';
  const allowed = QA.tabs[user.role];
  document.querySelectorAll('#tabs button').forEach(b => {
    b.hidden = !allowed.includes(b.dataset.tab);
    b.onclick = () => QA.show(b.dataset.tab);
  });

  // ---- finding calls
  const query = () => {
    const p = new URLSearchParams();
    const put = (k, v) => { if (v !== '' && v != null) p.set(k, v); };
    put('from', QA.$('fFrom').value);
    put('to', QA.$('fTo').value);
    put('queue', QA.$('fQueue').value.trim());
    put('agent', QA.$('fAgent').value.trim());
    put('disposition', QA.$('fDisposition').value.trim());
    put('outcome', QA.$('fOutcome').value);
    put('minCsat', QA.$('fMinCsat').value);
    put('maxCsat', QA.$('fMaxCsat').value);
    if (QA.$('fMinTalk').value) put('minTalk', Math.round(QA.$('fMinTalk').value * 60));
    if (QA.$('fMaxTalk').value) put('maxTalk', Math.round(QA.$('fMaxTalk').value * 60));
    if (QA.$('fRecorded').checked) p.set('recorded', 'true');
    return p.toString();
  };
  const search = async () => {
    QA.error('callsError');
    try {
      const r = await Hotline.api('GET', '/api/qa/calls?' + query());
      const body = QA.$('callsBody'); body.replaceChildren();
      r.calls.forEach(c => {
        const tr = document.createElement('tr'); tr.id = 'call-' + c.callId;
        const rec = !c.recording ? '—' : c.recording.available ? 'yes'
          : c.recording.deletedAt ? 'deleted ' + QA.when(c.recording.deletedAt) : 'not in the folder';
        [QA.when(c.startedAt), c.queue || '', c.agentId || '', c.caller, Hotline.duration(c.talkSeconds),
         c.disposition || '', c.outcome, c.csat == null ? '' : c.csat, rec, c.evaluations].forEach(v => Hotline.cell(tr, v));
        const td = document.createElement('td');
        if (c.canPlay) td.appendChild(QA.button('Play', 'play', () => play(c)));
        if (c.canDownload) td.appendChild(QA.button('Download', 'download', () => download(c)));
        if (user.role !== 'agent' && c.agentId && c.outcome === 'answered') {
          td.appendChild(QA.button('Score', 'score', () => QA.score(c)));
        }
        tr.appendChild(td); body.appendChild(tr);
      });
      if (!r.calls.length) Hotline.cell(body.insertRow(), 'No call matches.');
    } catch (e) { QA.error('callsError', e); }
  };
  QA.$('callFilter').addEventListener('submit', e => { e.preventDefault(); search(); });
  QA.onTab.calls = search;
  QA.refreshCalls = () => { if (!QA.$('calls').hidden) search(); };

  // ---- hearing: ask for a link (checked and audited by the server), then let the audio element fetch it
  const play = async c => {
    QA.$('playerBox').hidden = false;
    Hotline.text('playerCall', c.callId + ' (agent ' + (c.agentId || '-') + ', ' + QA.when(c.startedAt) + ')');
    Hotline.text('playerStatus', 'loading…');
    try {
      const r = await Hotline.api('POST', '/api/qa/recordings/play', { callId: c.callId });
      const audio = QA.$('player');
      audio.onloadedmetadata = () => Hotline.text('playerStatus', 'ready: ' + Hotline.duration(audio.duration) + ' (' + r.file + ')');
      audio.onplaying = () => Hotline.text('playerStatus', 'playing (' + r.file + ')');
      audio.onerror = () => Hotline.text('playerStatus', 'the browser could not play ' + r.file);
      audio.src = r.url;
      audio.play().catch(() => { /* autoplay refused: the controls are there */ });
    } catch (e) { Hotline.text('playerStatus', e.message); }
  };
  const download = async c => {
    try {
      const r = await Hotline.api('POST', '/api/qa/recordings/download', { callId: c.callId });
      const a = document.createElement('a'); a.href = r.url; a.download = r.file.split('/').pop();
      document.body.appendChild(a); a.click(); a.remove();
    } catch (e) { QA.error('callsError', e); }
  };

  // ---- the next report's due day (warned about when near and plans are not met)
  if (user.role !== 'agent') {
    try {
      const p = await Hotline.api('GET', '/api/qa/progress');
      const d = p.nextDue;
      const b = QA.$('dueBanner');
      b.textContent = d.message.charAt(0).toUpperCase() + d.message.slice(1);
      b.classList.toggle('alert', d.warn || d.overdue);
      b.hidden = false;
    } catch (e) { QA.error('error', e); }
  }
  const wanted = location.hash.slice(1);
  QA.show(allowed.includes(wanted) ? wanted : allowed[0]);
});
