// The agent desktop's browser phone: JsSIP (bundled by the build, /assets/jssip.js) registered over Asterisk's PJSIP
// WebSocket as the agent's own endpoint (PJSIP/1012 → SIP user 1012). One call at a time: rings with a sound and a
// browser notification, answer, hang up, mute, hold (a re-INVITE), keypad tones (SIP INFO), remote audio into
// <audio id="remoteAudio">. The page is told every change through onChange(state, detail).
'use strict';
const HotlinePhone = (() => {
  let ua = null, session = null, onChange = () => {}, ringer = null, audio = null;
  const state = { registered: false, call: null, muted: false, held: false };
  /** Notifications shown (the tests read it; a person sees them). */
  const notified = [];

  const emit = (what, detail) => onChange(what, detail, Object.assign({}, state));

  // The ring: two tones made in the page (no sound file), 1 s on, 2 s off, until answered or gone.
  const ring = on => {
    if (!on) { if (ringer) { clearInterval(ringer.timer); ringer = null; } return; }
    if (ringer) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === 'suspended') audio.resume();
    } catch (e) { audio = null; }
    const burst = () => {
      if (!audio) return;
      const t = audio.currentTime;
      for (const f of [440, 480]) {
        const o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = f; g.gain.setValueAtTime(0.08, t); g.gain.setValueAtTime(0, t + 1);
        o.connect(g); g.connect(audio.destination); o.start(t); o.stop(t + 1);
      }
    };
    burst();
    ringer = { timer: setInterval(burst, 3000) };
  };

  const notify = caller => {
    const text = 'Incoming call' + (caller ? ' from ' + caller : '');
    notified.push(text);
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    try {
      const n = new Notification('Hotline', { body: text, tag: 'hotline-call', requireInteraction: true });
      n.onclick = () => { window.focus(); n.close(); };
    } catch (e) { /* notifications refused by the browser */ }
  };

  const attachAudio = pc => {
    if (!pc) return;
    pc.addEventListener('track', e => {
      const el = document.getElementById('remoteAudio');
      if (el && e.streams && e.streams[0]) el.srcObject = e.streams[0];
    });
  };

  const track = s => {
    session = s;
    Object.assign(state, { call: { caller: s.remote_identity.uri.user, name: s.remote_identity.display_name || '' },
      muted: false, held: false });
    attachAudio(s.connection);
    s.on('peerconnection', e => attachAudio(e.peerconnection));
    s.on('accepted', () => { ring(false); emit('answered'); });
    s.on('confirmed', () => emit('confirmed'));
    s.on('hold', () => { state.held = true; emit('held'); });
    s.on('unhold', () => { state.held = false; emit('unheld'); });
    s.on('muted', () => { state.muted = true; emit('muted'); });
    s.on('unmuted', () => { state.muted = false; emit('unmuted'); });
    const gone = why => e => {
      ring(false);
      if (session !== s) return;
      session = null;
      Object.assign(state, { call: null, muted: false, held: false });
      emit(why, e && e.cause);
    };
    s.on('ended', gone('ended'));
    s.on('failed', gone('failed'));
  };

  return {
    notified,
    /**
     * Registers {@code user} at {@code domain} over {@code websocket} with {@code password}; {@code listener}
     * hears 'registered', 'unregistered', 'failed-registration' (detail: the cause), 'incoming', 'answered',
     * 'confirmed', 'held', 'unheld', 'muted', 'unmuted', 'ended', 'failed'.
     */
    start({ websocket, domain, user, password }, listener) {
      this.stop();
      onChange = listener;
      if (typeof JsSIP === 'undefined') { emit('failed-registration', 'the phone library did not load'); return; }
      if ('Notification' in window && Notification.permission === 'default') {
        try { Notification.requestPermission(); } catch (e) { /* not allowed here */ }
      }
      try { audio = audio || new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
      const socket = new JsSIP.WebSocketInterface(websocket);
      ua = new JsSIP.UA({ sockets: [socket], uri: 'sip:' + user + '@' + domain, password, register: true,
        session_timers: false, user_agent: 'Hotline agent desktop (JsSIP)', connection_recovery_max_interval: 30 });
      ua.on('registered', () => { state.registered = true; emit('registered'); });
      ua.on('unregistered', () => { state.registered = false; emit('unregistered'); });
      ua.on('registrationFailed', e => { state.registered = false; emit('failed-registration', e.cause); });
      ua.on('disconnected', () => { if (state.registered) { state.registered = false; emit('unregistered', 'connection lost'); } });
      ua.on('newRTCSession', e => {
        if (e.originator !== 'remote') return;
        if (session) { e.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' }); return; }
        track(e.session);
        ring(true);
        notify(state.call.name || state.call.caller);
        emit('incoming', state.call);
      });
      ua.start();
    },
    stop() {
      ring(false);
      if (ua) { try { ua.stop(); } catch (e) { /* already stopped */ } }
      ua = null; session = null;
      Object.assign(state, { registered: false, call: null, muted: false, held: false });
    },
    answer() {
      if (!session || session.isEstablished()) return false;
      ring(false);
      session.answer({ mediaConstraints: { audio: true, video: false } });
      return true;
    },
    hangup() { if (!session) return false; session.terminate(); return true; },
    mute() {
      if (!session || !session.isEstablished()) return false;
      if (session.isMuted().audio) session.unmute({ audio: true }); else session.mute({ audio: true });
      return true;
    },
    hold() {
      if (!session || !session.isEstablished()) return false;
      if (session.isOnHold().local) session.unhold(); else session.hold();
      return true;
    },
    /** A keypad tone, sent as SIP INFO (it needs no media path; Asterisk's PJSIP takes it as DTMF). */
    dtmf(tone) {
      if (!session || !session.isEstablished()) return false;
      session.sendDTMF(tone, { transportType: 'INFO', duration: 160 });
      return true;
    },
    state() { return Object.assign({}, state); },
  };
})();
