// The agent desktop: state and its actions, the phone setting (browser phone or a desk/soft phone), the screen pop of
// the call (restored from GET /api/agents/me after a reload or a sign-in, as is the wrap-up of the last call), the
// disposition bound to the call it is about, keyboard shortcuts and announcements for screen readers.
'use strict';
(async () => {
  const user = Hotline.require(['agent']);
  if (!user) return;
  const $ = id => document.getElementById(id);
  Hotline.text('who', user.username + ' (' + user.agentId + ')');
  let me = null;
  let sinceMs = Date.now();
  let popCallId = null;         // the call the screen pop shows
  let dispoCallId = null;       // the call the disposition form is about
  const languages = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;
  const languageName = code => { try { return (languages && languages.of(code.replace('_', '-'))) || code; } catch (e) { return code; } };

  const log = text => {
    const li = document.createElement('li');
    li.textContent = new Date().toLocaleTimeString() + ' ' + text;
    const ul = $('events'); ul.prepend(li);
    while (ul.children.length > 20) ul.lastChild.remove();
  };
  const error = message => Hotline.flash('error', message, 'error', 10);

  // ---------------------------------------------------------------- screen pop
  const LABELS = { customer: 'Customer', account: 'Account', tier: 'Tier', language: 'Language' };
  const callerText = c => {
    const name = c.data && c.data.customer ? c.data.customer.trim() : '';
    const number = c.caller || 'number withheld';
    return name ? name + ' · ' + number : number;
  };
  const pop = (title, c) => {
    $('pop').hidden = false;
    $('pop').dataset.callId = c.callId || '';
    popCallId = c.callId || null;
    Hotline.text('popTitle', title);
    Hotline.text('popCaller', callerText(c));
    Hotline.text('popQueue', c.queue ? Hotline.label(c.queue) : '');
    Hotline.text('popWaited', Hotline.words(c.waitedSeconds || 0));
    // What the IVR collected, in words: no internal keys (ivr_path), no call ids.
    const dl = $('popData'); dl.replaceChildren();
    const data = c.data || {};
    Object.keys(data).filter(k => k !== 'ivr_path' && String(data[k]).trim() !== '').sort().forEach(k => {
      const dt = document.createElement('dt'); dt.textContent = LABELS[k] || Hotline.label(k).replace(/^./, x => x.toUpperCase());
      const dd = document.createElement('dd'); dd.dataset.key = k;
      dd.textContent = k === 'language' ? languageName(data[k]) : data[k];
      dl.append(dt, dd);
    });
    const ul = $('popChoices'); ul.replaceChildren();
    (c.ivrChoices || []).forEach(t => { const li = document.createElement('li'); li.textContent = t; ul.appendChild(li); });
  };

  // ---------------------------------------------------------------- disposition, bound to its call
  const bindDisposition = c => {
    if (!c || !c.callId) return;
    if (dispoCallId !== c.callId) {
      dispoCallId = c.callId;
      $('dispoCode').selectedIndex = 0;
      $('dispoNotes').value = '';
      Hotline.text('dispoStatus', '');
    }
    $('dispoBox').hidden = false;
    $('dispoBox').dataset.callId = c.callId;
    const ended = c.endedAt ? ' ended ' + new Date(c.endedAt).toLocaleTimeString() : '';
    Hotline.text('dispoCall', 'About the call with ' + callerText(c) + (c.queue ? ' in ' + Hotline.label(c.queue) : '') + ended + '.');
  };
  const clearDisposition = () => {
    dispoCallId = null;
    $('dispoBox').hidden = true;
    delete $('dispoBox').dataset.callId;
    $('dispoCode').selectedIndex = 0;
    $('dispoNotes').value = '';
    Hotline.text('dispoStatus', '');
  };

  // ---------------------------------------------------------------- state
  const show = a => {
    me = a;
    const s = $('state');
    s.textContent = a.state; s.className = 'state ' + a.state;
    const back = a.readyAt ? ', ready again at ' + new Date(a.readyAt).toLocaleTimeString() : '';
    Hotline.text('reason', a.reason ? '(' + a.reason + back + ')' : '');
    sinceMs = Date.now() - a.secondsInState * 1000;
    $('loginBox').hidden = a.state !== 'logged-out';
    $('actions').hidden = a.state === 'logged-out';
    $('endWrapUp').disabled = a.state !== 'wrap-up';
    $('callBox').hidden = a.state !== 'on-call';
    const next = $('next');
    next.hidden = !a.next;
    next.textContent = a.next ? 'Next: not ready (' + a.next.reason + ') after this call' : '';
    // What a reload or a sign-in mid-call shows: the call and its pop, or the wrap-up of the last call.
    if ((a.state === 'ringing' || a.state === 'on-call') && a.call) {
      if (popCallId !== a.call.callId || $('pop').hidden) pop(a.state === 'ringing' ? 'Incoming call' : 'Connected', a.call);
      if (dispoCallId && dispoCallId !== a.call.callId) clearDisposition();
    } else if (a.state === 'wrap-up' && a.lastCall) {
      if (popCallId !== a.lastCall.callId) pop('Call ended', a.lastCall);
      bindDisposition(a.lastCall);
    }
  };
  const act = async (path, body) => {
    try { const r = await Hotline.api('POST', '/api/agents/me/' + path, body); Hotline.flash('error', ''); return r; }
    catch (e) { error(e.message); return null; }
  };

  // ---------------------------------------------------------------- phone setting and the browser phone
  const phones = await Hotline.api('GET', '/api/phones');
  const webrtc = phones.webrtc && phones.webrtc.endpoints.length ? phones.webrtc : null;
  const browserEndpoint = webrtc ? webrtc.endpoints[0] : null;
  const modeKey = 'hotline.phone.' + user.agentId;
  const mode = $('phoneMode');
  const addMode = (value, text) => { const o = document.createElement('option'); o.value = value; o.textContent = text; mode.appendChild(o); };
  addMode('desk', 'A desk phone or a softphone application');
  if (webrtc) addMode('browser', 'This browser (' + browserEndpoint + ')');
  mode.value = webrtc && localStorage.getItem(modeKey) === 'browser' ? 'browser' : 'desk';
  Hotline.text('phoneModeNote', webrtc ? 'With "This browser", calls ring on this page: no other phone is needed.'
    : 'The browser phone is off: it needs Asterisk\'s WebSocket (gateway.phones.webrtc_websocket in hotline.yaml).'
      + ' In ./hotline demo the simulated Asterisk has no WebSocket: the demo\'s phones are simulated and answer by themselves.');
  const usesBrowser = () => mode.value === 'browser';
  const phoneStatus = (text, kind) => { Hotline.text('phoneStatus', text); $('phoneStatus').className = 'phone-state ' + (kind || ''); };
  const showPhone = () => {
    $('phoneBox').hidden = !usesBrowser();
    if (browserEndpoint) Hotline.text('phoneEndpoint', browserEndpoint);
  };
  mode.onchange = () => { localStorage.setItem(modeKey, mode.value); showPhone(); if (!usesBrowser()) HotlinePhone.stop(); };
  showPhone();
  const setPressed = (id, on) => $(id).setAttribute('aria-pressed', String(on));
  const phoneEvent = (what, detail, st) => {
    switch (what) {
      case 'registered': phoneStatus('ready to ring', 'ok'); $('phoneSetup').hidden = true; log('browser phone connected'); Hotline.announce('Browser phone connected'); break;
      case 'unregistered': phoneStatus('not connected' + (detail ? ' (' + detail + ')' : '')); $('phoneSetup').hidden = false; break;
      case 'failed-registration':
        phoneStatus('not connected'); $('phoneSetup').hidden = false;
        Hotline.flash('phoneError', 'The phone could not connect: ' + detail + (detail === 'Authentication Error' ? ' (check the SIP password)' : ''), 'error', 15);
        break;
      case 'incoming':
        $('phoneCall').hidden = false; $('phoneBox').classList.add('ringing-now'); phoneStatus('ringing', 'ok');
        $('phoneMute').disabled = true; $('phoneHold').disabled = true;
        Hotline.text('phoneCaller', 'Ringing: ' + (detail.name ? detail.name + ' · ' : '') + detail.caller);
        $('phoneAnswer').disabled = false; $('phoneAnswer').focus();
        Hotline.announce('Incoming call from ' + (detail.name || detail.caller) + '. Alt+A answers.', true);
        log('ringing: ' + detail.caller);
        break;
      case 'answered': case 'confirmed':
        $('phoneBox').classList.remove('ringing-now'); $('phoneAnswer').disabled = true;
        $('phoneMute').disabled = false; $('phoneHold').disabled = false;
        phoneStatus('in a call', 'ok'); Hotline.text('phoneCaller', 'In a call with ' + (st.call ? st.call.caller : ''));
        if (what === 'confirmed') { log('call answered in the browser'); Hotline.announce('Call connected'); }
        break;
      case 'muted': case 'unmuted': setPressed('phoneMute', st.muted); Hotline.text('phoneMute', st.muted ? 'Unmute' : 'Mute'); Hotline.announce(st.muted ? 'Microphone muted' : 'Microphone on'); break;
      case 'held': case 'unheld': setPressed('phoneHold', st.held); Hotline.text('phoneHold', st.held ? 'Resume' : 'Hold'); Hotline.announce(st.held ? 'Caller on hold' : 'Call resumed'); break;
      case 'ended': case 'failed':
        $('phoneBox').classList.remove('ringing-now'); $('phoneCall').hidden = true;
        setPressed('phoneMute', false); setPressed('phoneHold', false); Hotline.text('phoneMute', 'Mute'); Hotline.text('phoneHold', 'Hold');
        phoneStatus(st.registered ? 'ready to ring' : 'not connected', st.registered ? 'ok' : '');
        log('browser call ' + (what === 'ended' ? 'ended' : 'not connected (' + detail + ')'));
        Hotline.announce('Call ended');
        break;
      default: break;
    }
  };
  const registerPhone = () => {
    if (!webrtc) return;
    const password = $('sipPassword').value;
    if (!password) { Hotline.flash('phoneError', 'Type the SIP password of ' + browserEndpoint + ' first.', 'error'); $('sipPassword').focus(); return; }
    sessionStorage.setItem('hotline.sip', password);
    phoneStatus('connecting…');
    HotlinePhone.start({ websocket: webrtc.websocket, domain: webrtc.domain, user: browserEndpoint.slice(browserEndpoint.indexOf('/') + 1), password }, phoneEvent);
  };
  $('phoneRegister').onclick = registerPhone;
  $('sipPassword').addEventListener('keydown', e => { if (e.key === 'Enter') registerPhone(); });
  if (usesBrowser() && sessionStorage.getItem('hotline.sip')) { $('sipPassword').value = sessionStorage.getItem('hotline.sip'); registerPhone(); }
  $('phoneAnswer').onclick = () => HotlinePhone.answer();
  $('phoneHangup').onclick = () => HotlinePhone.hangup();
  $('phoneMute').onclick = () => HotlinePhone.mute();
  $('phoneHold').onclick = () => HotlinePhone.hold();
  '123456789*0#'.split('').forEach(t => {
    const b = document.createElement('button'); b.textContent = t; b.id = 'dtmf-' + ({ '*': 'star', '#': 'hash' }[t] || t);
    b.setAttribute('aria-label', 'tone ' + t);
    b.onclick = () => { if (HotlinePhone.dtmf(t)) log('tone ' + t); };
    $('dialpad').appendChild(b);
  });

  // ---------------------------------------------------------------- actions
  const codes = (await Hotline.api('GET', '/api/dispositions')).codes;
  codes.forEach(c => { const o = document.createElement('option'); o.value = c; o.textContent = Hotline.label(c); $('dispoCode').appendChild(o); });
  $('transfer').onclick = async () => {
    const t = $('target').value.trim();
    const attended = $('attended').checked;
    // Attended: Asterisk puts the caller on hold while you talk to the target; hang up your phone to complete.
    const r = await act('transfer', attended ? { target: t, attended: true } : { target: t });
    if (r) log(attended ? 'consulting ' + t + ': hang up to complete the transfer' : 'transferred to ' + t);
  };
  const hangup = async () => {
    if (HotlinePhone.state().call) { HotlinePhone.hangup(); return; }
    if (me && me.state === 'on-call' && await act('hangup')) log('hung up');
  };
  $('hangup').onclick = hangup;
  $('dispoSave').onclick = async () => {
    const notes = $('dispoNotes').value.trim();
    const body = { code: $('dispoCode').value };
    if (notes) body.notes = notes;
    if (dispoCallId) body.callId = dispoCallId;
    const r = await act('disposition', body);
    if (r) { Hotline.text('dispoStatus', 'saved: ' + r.code); log('disposition ' + r.code); Hotline.announce('Disposition saved'); }
  };
  const reasons = (await Hotline.api('GET', '/api/reasons')).reasons;
  reasons.forEach(r => { const o = document.createElement('option'); o.value = r; o.textContent = Hotline.label(r); $('reasons').appendChild(o); });
  $('signout').onclick = () => { HotlinePhone.stop(); Hotline.logout(); };
  $('login').onclick = () => {
    if (usesBrowser() && !HotlinePhone.state().registered) registerPhone();
    act('login', usesBrowser() ? { workNumber: user.agentId, endpoint: browserEndpoint } : { workNumber: user.agentId });
  };
  $('ready').onclick = () => act('ready');
  $('notReady').onclick = async () => {
    const during = me && (me.state === 'on-call' || me.state === 'ringing');
    if (await act('not-ready', { reason: $('reasons').value }) && during) {
      Hotline.announce('Not ready (' + $('reasons').value + ') after this call');
    }
  };
  $('endWrapUp').onclick = () => act('end-wrap-up');
  $('logout').onclick = () => act('logout');

  // Keyboard shortcuts (Alt + a letter; they are listed on the page and in aria-keyshortcuts).
  document.addEventListener('keydown', e => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    const run = {
      r: () => $('ready').click(), n: () => $('notReady').click(), w: () => !$('endWrapUp').disabled && $('endWrapUp').click(),
      a: () => HotlinePhone.answer(), h: hangup, m: () => HotlinePhone.mute(), o: () => HotlinePhone.hold(),
      s: () => !$('dispoBox').hidden && $('dispoSave').click(),
    }[key];
    if (run) { e.preventDefault(); run(); }
  });

  show(await Hotline.api('GET', '/api/agents/me'));
  setInterval(() => Hotline.text('inState', Hotline.duration((Date.now() - sinceMs) / 1000)), 1000);
  Hotline.live(m => {
    document.dispatchEvent(new CustomEvent('hotline:live', { detail: m }));   // other desktop sections listen
    if (m.type === 'snapshot' && m.me) show(m.me);
    if (m.type === 'agent') {
      const before = me ? me.state : null;
      show(m.agent);
      if (before !== m.agent.state) {
        log('state: ' + m.agent.state + (m.agent.reason ? ' (' + m.agent.reason + ')' : ''));
        Hotline.announce('State: ' + m.agent.state.replace('-', ' ') + (m.agent.reason ? ', ' + m.agent.reason : ''));
      }
    }
    if (m.type === 'offer') {
      clearDisposition();
      pop('Incoming call', m);
      log('offer from ' + callerText(m) + ' in ' + m.queue);
      Hotline.announce('Incoming call from ' + callerText(m) + ' in ' + Hotline.label(m.queue), true);
    }
    if (m.type === 'connected') {
      clearDisposition();
      pop('Connected', m);
      log('connected, waited ' + Hotline.words(m.waitedSeconds));
      Hotline.announce('Connected with ' + callerText(m));
    }
    if (m.type === 'ended') {
      Hotline.text('popTitle', 'Call ended');
      bindDisposition(m.lastCall || { callId: m.callId });
      log('call ended after ' + Hotline.words(m.talkSeconds));
      Hotline.announce('Call ended. Choose its disposition.');
    }
    if (m.type === 'offer-withdrawn') {
      $('pop').hidden = true; popCallId = null;
      log('offer withdrawn: ' + m.dialStatus);
      Hotline.announce('The call was withdrawn');
    }
  });
})();
