// Agent desktop: the recording of the call the agent is on (docs/QA.md). Pause while the caller reads out a card
// number (the recording gets silence), resume after; start and stop when the queue's policy lets agents do so.
// Polls GET /api/agents/me/recording every 2 s (an in-memory answer) rather than adding to the live protocol.
// Ids: #recordingBox, #recState, #recPause, #recResume, #recStart, #recStop, #recError.
'use strict';
(() => {
  const $ = id => document.getElementById(id);
  const user = Hotline.user();
  if (!user || user.role !== 'agent') return;
  const show = r => {
    $('recordingBox').hidden = !r.onCall;
    if (!r.onCall) return;
    const rec = r.recording;
    Hotline.text('recState', rec ? rec.state + (rec.pausedSeconds ? ' (' + rec.pausedSeconds + ' s left silent)' : '') : 'not recorded');
    $('recPause').hidden = !(rec && rec.state === 'recording');
    $('recResume').hidden = !(rec && rec.state === 'paused');
    $('recStart').hidden = !(r.mayStartStop && !rec);
    $('recStop').hidden = !(r.mayStartStop && rec && rec.state !== 'stopped');
  };
  const poll = async () => {
    try { show(await Hotline.api('GET', '/api/agents/me/recording')); } catch (e) { /* signed out or gateway gone: the page says so */ }
  };
  ['pause', 'resume', 'start', 'stop'].forEach(action => {
    $('rec' + action.charAt(0).toUpperCase() + action.slice(1)).onclick = async () => {
      Hotline.text('recError', '');
      try { show(Object.assign({ onCall: true, mayStartStop: !$('recStart').hidden || !$('recStop').hidden },
        { recording: await Hotline.api('POST', '/api/agents/me/recording', { action }) })); poll(); }
      catch (e) { Hotline.text('recError', e.message); }
    };
  });
  poll();
  setInterval(poll, 2000);
})();
