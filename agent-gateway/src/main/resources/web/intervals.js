// Wallboard: today's figures per queue and 15-minute interval (from the call records, pushed as 'intervals').
// Bars: offered (grey), answered (blue), abandoned (red) per interval on the left axis; the line: service level
// on the right axis (0–100 %), the dashed line the queue's target. The chart spans the queue's opening hours today
// (openSlots of its live view: the calendars of the IVR hours nodes that lead to it), widened to any call outside
// them; a queue no calendar guards spans from its first call to the hour after now.
'use strict';
const HotlineIntervals = (() => {
  let day = null;
  let targets = {};
  let open = {};   // queue → today's open slot runs [[from, to)], empty: all day
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
    const perHour = 60 / day.intervalMinutes;
    const now = day.dayStart ? Math.floor((Date.now() - Date.parse(day.dayStart)) / 60000 / day.intervalMinutes) : 0;
    const { from, to } = span(rows, slots, perHour, now);
    const maxCalls = Math.max(4, ...rows.map(r => r.offered));
    const x = i => left + (w - left - right) * (i - from) / (to - from);
    const yCalls = n => h - bottom - (h - top - bottom) * n / maxCalls;
    const ySl = f => h - bottom - (h - top - bottom) * f;
    g.strokeStyle = '#ddd'; g.fillStyle = '#555';
    const step = to - from > 12 * perHour ? 3 : 1;
    for (let hr = from / perHour; hr <= to / perHour; hr += step) {
      const xx = x(Math.min(to, hr * perHour));
      g.beginPath(); g.moveTo(xx, top); g.lineTo(xx, h - bottom); g.stroke();
      g.fillText(String(hr).padStart(2, '0') + ':00', xx - 16, h - 10);
    }
    for (const pct of [0, 50, 80, 100]) g.fillText(pct + '%', w - right + 6, ySl(pct / 100) + 4);
    for (const n of [0, Math.round(maxCalls / 2), maxCalls]) g.fillText(String(n), 4, yCalls(n) + 4);
    const bw = Math.max(1, (w - left - right) / (to - from) / 3 - 0.5);
    const slotOf = r => r.slot;
    const shown = rows.filter(r => r.slot >= from && r.slot < to);
    summarise(shown, from, to, perHour);
    for (const r of shown) {
      const x0 = x(slotOf(r));
      [['#8a9699', r.offered], ['#0b5cad', r.answered], ['#b00020', r.abandoned]].forEach(([colour, n], k) => {
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

  /** The slots shown: the opening hours of the chosen queue (all queues: their union), widened to every call. */
  function span(rows, slots, perHour, now) {
    const chosen = picker().value;
    const runs = chosen === '*' ? (Object.values(open).some(r => !r.length) ? [] : Object.values(open).flat())
      : (open[chosen] || []);
    const calls = rows.map(r => r.slot);
    let from, to;
    if (runs.length && runs.some(r => r[1] > r[0])) {
      from = Math.min(...runs.filter(r => r[1] > r[0]).map(r => r[0]), ...calls);
      to = Math.max(...runs.map(r => r[1]), ...calls.map(c => c + 1));
    } else {
      from = Math.min(now, ...calls);
      to = Math.max(now + perHour, ...calls.map(c => c + 1));
    }
    from = Math.max(0, Math.floor(from / perHour) * perHour);
    to = Math.min(slots, Math.ceil(to / perHour) * perHour);
    if (to - from < perHour) to = Math.min(slots, from + perHour);
    return { from, to };
  }

  /** The chart in words, for screen readers: the hours shown and the day's totals. */
  function summarise(rows, from, to, perHour) {
    const el = document.getElementById('intervalSummary');
    if (!el) return;
    const hh = s => String(Math.floor(s / perHour)).padStart(2, '0') + ':' + String((s % perHour) * (60 / perHour)).padStart(2, '0');
    const sum = k => rows.reduce((n, r) => n + r[k], 0);
    el.textContent = 'From ' + hh(from) + ' to ' + hh(to) + ': ' + sum('offered') + ' offered, ' + sum('answered')
      + ' answered, ' + sum('abandoned') + ' abandoned.';
    canvas().setAttribute('data-from', hh(from));
    canvas().setAttribute('data-to', hh(to));
  }

  return {
    /** A new day view ({date, zone, intervalMinutes, queues}) and the queues (SL targets, today's open slots). */
    show(view, queues) {
      if (view) day = view;
      if (queues) for (const q of queues) { targets[q.name] = q.serviceLevelTarget.percent; open[q.name] = q.openSlots || []; }
      if (!day) return;
      fillPicker(); draw();
    },
    /** Shows {@code queue} in the chart (TV mode follows the tiles on screen). */
    select(queue) {
      const p = picker();
      if ([...p.options].some(o => o.value === queue)) { p.value = queue; draw(); }
    },
    init() { picker().onchange = draw; },
  };
})();
