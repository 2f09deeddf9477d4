// Wallboard: today's figures per queue and 15-minute interval (from the call records, pushed as 'intervals').
// Bars: offered (grey), answered (blue), abandoned (red) per interval on the left axis; the line: service level
// on the right axis (0–100 %), the dashed line the queue's target.
'use strict';
const HotlineIntervals = (() => {
  let day = null;
  let targets = {};
  const canvas = () => document.getElementById('intervalChart');
  const picker = () => document.getElementById('intervalQueue');

  const fillPicker = () => {
    const p = picker(); const chosen = p.value;
    const names = Object.keys((day && day.queues) || {}).sort((a, b) => (a === '*') - (b === '*') || a.localeCompare(b));
    const have = [...p.options].map(o => o.value);
    if (have.join() === names.join()) return;
    p.replaceChildren();
    for (const n of names) {
      const o = document.createElement('option'); o.value = n; o.textContent = n === '*' ? 'All queues' : n; p.appendChild(o);
    }
    if (names.includes(chosen)) p.value = chosen; else if (names.length) p.value = names.includes('*') ? '*' : names[0];
  };

  const draw = () => {
    const c = canvas(); if (!c || !day) return;
    const g = c.getContext('2d'); const w = c.width, h = c.height;
    const left = 40, right = 44, top = 12, bottom = 28;
    g.clearRect(0, 0, w, h); g.font = '12px sans-serif';
    const rows = (day.queues || {})[picker().value] || [];
    document.getElementById('intervalNote').textContent = day.error ? ' — ' + day.error
      : rows.length ? '' : ' — no calls yet today';
    const slots = day.slots || 96;
    // From the 3-hour mark before the day's first call (or now) to midnight: the busy part gets the width.
    const perHour = 60 / day.intervalMinutes;
    const now = day.dayStart ? Math.floor((Date.now() - Date.parse(day.dayStart)) / 60000 / day.intervalMinutes) : 0;
    const first = Math.max(0, Math.min(now, ...rows.map(r => r.slot)));
    const from = Math.floor(first / (3 * perHour)) * 3 * perHour;
    const maxCalls = Math.max(4, ...rows.map(r => r.offered));
    const x = i => left + (w - left - right) * (i - from) / (slots - from);
    const yCalls = n => h - bottom - (h - top - bottom) * n / maxCalls;
    const ySl = f => h - bottom - (h - top - bottom) * f;
    g.strokeStyle = '#ddd'; g.fillStyle = '#555';
    const step = slots - from > 12 * perHour ? 3 : 1;
    for (let hr = from / perHour; hr <= 24; hr += step) {
      const xx = x(Math.min(slots, hr * perHour));
      g.beginPath(); g.moveTo(xx, top); g.lineTo(xx, h - bottom); g.stroke();
      g.fillText(String(hr).padStart(2, '0') + ':00', xx - 16, h - 10);
    }
    for (const pct of [0, 50, 80, 100]) g.fillText(pct + '%', w - right + 6, ySl(pct / 100) + 4);
    for (const n of [0, Math.round(maxCalls / 2), maxCalls]) g.fillText(String(n), 4, yCalls(n) + 4);
    const bw = Math.max(1, (w - left - right) / (slots - from) / 3 - 0.5);
    const slotOf = r => r.slot;
    for (const r of rows) {
      const x0 = x(slotOf(r));
      [['#9aa', r.offered], ['#0b5cad', r.answered], ['#b00020', r.abandoned]].forEach(([colour, n], k) => {
        g.fillStyle = colour; g.fillRect(x0 + k * bw, yCalls(n), bw, h - bottom - yCalls(n));
      });
    }
    const target = targets[picker().value];
    if (target) {
      g.setLineDash([4, 4]); g.strokeStyle = '#1a7f37';
      g.beginPath(); g.moveTo(left, ySl(target / 100)); g.lineTo(w - right, ySl(target / 100)); g.stroke(); g.setLineDash([]);
    }
    g.strokeStyle = '#1a7f37'; g.lineWidth = 2; g.beginPath(); let started = false;
    for (const r of rows) {
      if (r.serviceLevel === null) continue;
      const xx = x(slotOf(r) + 0.5), yy = ySl(r.serviceLevel);
      if (started) g.lineTo(xx, yy); else { g.moveTo(xx, yy); started = true; }
    }
    g.stroke(); g.lineWidth = 1; g.fillStyle = '#1a7f37';
    for (const r of rows) {
      if (r.serviceLevel === null) continue;
      g.beginPath(); g.arc(x(r.slot + 0.5), ySl(r.serviceLevel), 3, 0, 2 * Math.PI); g.fill();
    }
  };

  return {
    /** A new day view ({date, zone, intervalMinutes, queues}) and the queues' SL targets (name → percent). */
    show(view, queues) {
      if (view) day = view;
      if (queues) for (const q of queues) targets[q.name] = q.serviceLevelTarget.percent;
      if (!day) return;
      fillPicker(); draw();
    },
    init() { picker().onchange = draw; },
  };
})();
