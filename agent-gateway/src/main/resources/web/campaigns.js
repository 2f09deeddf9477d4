// Outbound campaigns (docs/OUTBOUND.md) for supervisors and admins: the campaigns with their lists' progress and
// start / pause / stop, a campaign form, the contact-list import (bad rows listed by line), the do-not-call list and
// the campaign report with the abandon rate by hour against the cap.
// Ids: rows #campaign-<id> (buttons #start-<id>, #pause-<id>, #stop-<id>), #blending, form #cId … #cSave, import
// #iCampaign, #iNumber, #iName, #iZone, #iCsv, #iImport, #importResult, #importErrors (items #importError-<line>),
// #dncNumber, #dncAdd, #dncResult, report rows #report-<campaign> (cells by header), #hoursBody, #error.
'use strict';
(async () => {
  const user = Hotline.require(['supervisor', 'admin']);
  if (!user) return;
  const $ = id => document.getElementById(id);
  Hotline.text('who', user.username + ' (' + user.role + ')');
  $('signout').onclick = () => Hotline.logout();
  const fail = e => Hotline.text('error', e.message);

  const load = async () => {
    try {
      const r = await Hotline.api('GET', '/api/campaigns');
      Hotline.text('blending', (r.blending.outboundAllowed ? 'Outbound running: ' : 'Outbound held: ') + r.blending.why);
      const body = $('campaignBody');
      body.replaceChildren();
      r.campaigns.forEach(c => {
        const tr = document.createElement('tr');
        tr.id = 'campaign-' + c.id;
        [c.name + ' (' + c.id + ')', c.queue, c.mode, c.status, c.contacts.pending, c.contacts.done, c.contacts.failed,
          c.contacts.blocked, c.abandonPct == null ? '—' : c.abandonPct.toFixed(2)].forEach(v => Hotline.cell(tr, v));
        const td = document.createElement('td');
        ['start', 'pause', 'stop'].forEach(action => {
          const b = document.createElement('button');
          b.id = action + '-' + c.id;
          b.textContent = action[0].toUpperCase() + action.slice(1);
          b.onclick = async () => {
            try { await Hotline.api('POST', '/api/campaigns/' + encodeURIComponent(c.id) + '/' + action); await load(); }
            catch (e) { fail(e); }
          };
          td.appendChild(b);
        });
        tr.appendChild(td);
        body.appendChild(tr);
      });
    } catch (e) { fail(e); }
  };

  $('campaignForm').onsubmit = async ev => {
    ev.preventDefault();
    Hotline.text('error', '');
    const body = {
      id: $('cId').value, name: $('cName').value || $('cId').value, queue: $('cQueue').value, mode: $('cMode').value,
      hours: $('cHours').value, days: $('cDays').value, zone: $('cZone').value, callerId: $('cCallerId').value,
      retry: $('cRetry').value, abandonCap: Number($('cCap').value), script: $('cScript').value,
      dispositions: $('cDispositions').value.split(',').map(s => s.trim()).filter(s => s)
    };
    Object.keys(body).forEach(k => { if (body[k] === '') delete body[k]; });   // unset: the server's default
    try { await Hotline.api('POST', '/api/campaigns', body); $('iCampaign').value = body.id; await load(); }
    catch (e) { fail(e); }
  };

  $('iImport').onclick = async () => {
    Hotline.text('error', '');
    const q = new URLSearchParams({ number: $('iNumber').value });
    if ($('iName').value) q.set('name', $('iName').value);
    if ($('iZone').value) q.set('zone', $('iZone').value);
    const r = await fetch('/api/campaigns/' + encodeURIComponent($('iCampaign').value) + '/contacts?' + q,
      { method: 'POST', headers: { 'Authorization': 'Bearer ' + Hotline.token(), 'Content-Type': 'text/csv' },
        body: $('iCsv').value });
    const data = await r.json();
    if (!r.ok) { fail(new Error(data.detail || data.error)); return; }
    Hotline.text('importResult', data.imported + ' contact(s) imported of ' + data.rows + ' row(s); '
      + data.errors.length + ' bad row(s), ' + data.duplicates.length + ' duplicate(s)');
    const list = $('importErrors');
    list.replaceChildren();
    data.errors.forEach(e => {
      const li = document.createElement('li'); li.id = 'importError-' + e.line;
      li.textContent = 'line ' + e.line + ': ' + e.message; list.appendChild(li);
    });
    data.duplicates.forEach(d => {
      const li = document.createElement('li'); li.id = 'duplicate-' + d.line;
      li.textContent = 'line ' + d.line + ': ' + d.number + ' duplicates ' + (d.firstLine ? 'line ' + d.firstLine
        : 'a contact already in the campaign'); list.appendChild(li);
    });
    await load();
  };

  $('dncAdd').onclick = async () => {
    try { await Hotline.api('POST', '/api/do-not-call', { number: $('dncNumber').value });
      Hotline.text('dncResult', $('dncNumber').value + ' will not be called'); }
    catch (e) { fail(e); }
  };

  const table = (head, body, columns, rows, prefix) => {
    const hr = document.createElement('tr');
    columns.forEach(c => { const th = document.createElement('th'); th.textContent = c; hr.appendChild(th); });
    $(head).replaceChildren(hr);
    const b = $(body); b.replaceChildren();
    rows.forEach(r => {
      const tr = document.createElement('tr');
      if (prefix) tr.id = prefix + r[0];
      r.forEach(v => Hotline.cell(tr, v));
      b.appendChild(tr);
    });
  };
  const report = async () => {
    try {
      const r = await Hotline.api('GET', '/api/campaigns/report');
      table('reportHead', 'reportBody', r.columns, r.rows, 'report-');
      table('hoursHead', 'hoursBody', r.hourColumns, r.hours, null);
    } catch (e) { fail(e); }
  };
  $('reportRefresh').onclick = report;
  await load();
  await report();
  setInterval(load, 5000);
})();
