// Agent desktop: my pending callbacks (due time, number, queue, note; overdue marked) and a form to schedule one,
// prefilled with the caller and queue of the last call. GET /api/agents/me/callbacks, POST /api/callbacks.
'use strict';
(async () => {
  const user = Hotline.user();
  if (!user || user.role !== 'agent') return;
  const byId = id => document.getElementById(id);
  const pad = n => String(n).padStart(2, '0');
  const localInput = d => d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  let queuesFilled = false;

  const load = async () => {
    let data;
    try { data = await Hotline.api('GET', '/api/agents/me/callbacks'); } catch (e) { Hotline.text('cbStatus', e.message); return; }
    if (!queuesFilled) {
      data.queues.forEach(q => { const o = document.createElement('option'); o.value = o.textContent = q; byId('cbQueue').appendChild(o); });
      queuesFilled = true;
    }
    const tb = byId('cbList'); tb.replaceChildren();
    for (const c of data.callbacks) {
      const tr = document.createElement('tr');
      if (c.overdue) tr.className = 'alert';
      Hotline.cell(tr, new Date(c.dueAt).toLocaleString() + (c.overdue ? ' (overdue)' : c.due ? ' (due)' : ''));
      Hotline.cell(tr, c.number);
      Hotline.cell(tr, c.queue);
      Hotline.cell(tr, c.note);
      tb.appendChild(tr);
    }
    if (!data.callbacks.length) { const tr = document.createElement('tr'); Hotline.cell(tr, 'none pending'); tb.appendChild(tr); }
    Hotline.text('cbOverdue', data.overdue ? data.overdue + ' overdue' : '');
  };

  byId('cbDue').value = localInput(new Date(Date.now() + 3600 * 1000));
  byId('cbSchedule').onclick = async () => {
    Hotline.text('cbStatus', '');
    const due = new Date(byId('cbDue').value);
    if (isNaN(due.getTime())) { Hotline.text('cbStatus', 'choose a due date and time'); return; }
    const body = { queue: byId('cbQueue').value, number: byId('cbNumber').value.trim(), dueAt: due.toISOString() };
    if (byId('cbOwner').value === 'me') body.owner = user.agentId;
    const note = byId('cbNote').value.trim();
    if (note) body.note = note;
    try {
      await Hotline.api('POST', '/api/callbacks', body);
      Hotline.text('cbStatus', 'scheduled for ' + due.toLocaleString());
      byId('cbNote').value = '';
      load();
    } catch (e) { Hotline.text('cbStatus', e.message); }
  };

  // After a call: prefill the form with that caller and queue.
  document.addEventListener('hotline:live', e => {
    const m = e.detail;
    if (m.type === 'connected') {
      if (m.caller) byId('cbNumber').value = m.caller.replace(/[^0-9+]/g, '');
      if (m.queue) byId('cbQueue').value = m.queue;
    }
    if (m.type === 'ended') load();
  });
  await load();
  setInterval(load, 30000);
})();
