'use strict';
(async () => {
  const user = Hotline.require(['agent']);
  if (!user) return;
  Hotline.text('who', user.username + ' (' + user.agentId + ')');
  let me = null;
  let sinceMs = Date.now();
  const show = a => {
    me = a;
    const s = document.getElementById('state');
    s.textContent = a.state; s.className = 'state ' + a.state;
    Hotline.text('reason', a.reason ? '(' + a.reason + ')' : '');
    sinceMs = Date.now() - a.secondsInState * 1000;
    document.getElementById('loginBox').hidden = a.state !== 'logged-out';
    document.getElementById('actions').hidden = a.state === 'logged-out';
    document.getElementById('endWrapUp').disabled = a.state !== 'wrap-up';
    document.getElementById('callBox').hidden = a.state !== 'on-call';
    if (a.state === 'wrap-up') document.getElementById('dispoBox').hidden = false;
  };
  const log = text => {
    const li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + ' ' + text;
    const ul = document.getElementById('events'); ul.prepend(li);
    while (ul.children.length > 20) ul.lastChild.remove();
  };
  const pop = (title, m) => {
    document.getElementById('pop').hidden = false;
    Hotline.text('popTitle', title);
    Hotline.text('popCaller', m.caller || 'unknown');
    Hotline.text('popQueue', m.queue || '');
    Hotline.text('popWaited', Hotline.duration(m.waitedSeconds || 0));
    Hotline.text('popCall', m.callId);
    // Screen pop: what the IVR collected (language, path, account, CRM look-up results), one line per key.
    const data = document.getElementById('popData'); data.replaceChildren();
    Object.keys(m.data || {}).sort().forEach(k => {
      const d = document.createElement('div'); d.textContent = k + ': ' + m.data[k]; d.dataset.key = k; data.appendChild(d);
    });
  };
  const act = async (path, body) => {
    Hotline.text('error', '');
    try { return await Hotline.api('POST', '/api/agents/me/' + path, body); } catch (e) { Hotline.text('error', e.message); return null; }
  };
  const codes = (await Hotline.api('GET', '/api/dispositions')).codes;
  const dsel = document.getElementById('dispoCode');
  codes.forEach(c => { const o = document.createElement('option'); o.value = o.textContent = c; dsel.appendChild(o); });
  document.getElementById('transfer').onclick = async () => {
    const t = document.getElementById('target').value.trim();
    const attended = document.getElementById('attended').checked;
    // Attended: Asterisk puts the caller on hold while you talk to the target; hang up your phone to complete.
    const r = await act('transfer', attended ? { target: t, attended: true } : { target: t });
    if (r) log(attended ? 'consulting ' + t + ': hang up to complete the transfer' : 'transferred to ' + t);
  };
  document.getElementById('hangup').onclick = async () => { if (await act('hangup')) log('hung up'); };
  document.getElementById('dispoSave').onclick = async () => {
    const notes = document.getElementById('dispoNotes').value.trim();
    const body = notes ? { code: dsel.value, notes } : { code: dsel.value };
    if (await act('disposition', body)) { Hotline.text('dispoStatus', 'saved: ' + dsel.value); log('disposition ' + dsel.value); }
  };
  const reasons = (await Hotline.api('GET', '/api/reasons')).reasons;
  const sel = document.getElementById('reasons');
  reasons.forEach(r => { const o = document.createElement('option'); o.value = o.textContent = r; sel.appendChild(o); });
  document.getElementById('signout').onclick = () => Hotline.logout();
  document.getElementById('login').onclick = () => {
    const ep = document.getElementById('endpoint').value.trim();
    act('login', ep ? { workNumber: user.agentId, endpoint: ep } : { workNumber: user.agentId });
  };
  document.getElementById('ready').onclick = () => act('ready');
  document.getElementById('notReady').onclick = () => act('not-ready', { reason: sel.value });
  document.getElementById('endWrapUp').onclick = () => act('end-wrap-up');
  document.getElementById('logout').onclick = () => act('logout');
  show(await Hotline.api('GET', '/api/agents/me'));
  setInterval(() => Hotline.text('inState', Hotline.duration((Date.now() - sinceMs) / 1000)), 1000);
  Hotline.live(m => {
    document.dispatchEvent(new CustomEvent('hotline:live', { detail: m }));   // other desktop sections listen
    if (m.type === 'snapshot' && m.me) show(m.me);
    if (m.type === 'agent') { show(m.agent); log('state: ' + m.agent.state + (m.agent.reason ? ' (' + m.agent.reason + ')' : '')); }
    if (m.type === 'offer') { pop('Incoming call', m); log('offer from ' + (m.caller || 'unknown') + ' in ' + m.queue); }
    if (m.type === 'connected') { pop('Connected', m); document.getElementById('dispoNotes').value = ''; Hotline.text('dispoStatus', ''); log('connected, waited ' + m.waitedSeconds + 's'); }
    if (m.type === 'ended') { Hotline.text('popTitle', 'Call ended'); document.getElementById('dispoBox').hidden = false; log('call ended after ' + m.talkSeconds + 's'); }
    if (m.type === 'offer-withdrawn') { document.getElementById('pop').hidden = true; log('offer withdrawn: ' + m.dialStatus); }
  });
})();
