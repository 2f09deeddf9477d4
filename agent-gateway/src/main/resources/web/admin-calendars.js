// Admin page, Calendars section: list, view, create / change (saved in the database, replacing a file calendar of
// the same name), disable / enable. Every problem the server reports is shown next to its field.
'use strict';
(() => {
  if (!Hotline.require(['admin'])) return;
  const $ = id => document.getElementById(id);
  const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const weekly = $('calendarWeekly');
  DAYS.forEach(d => {
    const label = document.createElement('label'); label.textContent = d + ' ';
    const input = document.createElement('input'); input.id = 'calendarDay-' + d; input.placeholder = '09:00-17:00 or closed';
    const err = document.createElement('span'); err.className = 'error'; err.id = 'calendarDayError-' + d;
    label.appendChild(input); weekly.append(label, ' ', err, document.createElement('br'));
  });
  const send = async (method, path, body) => {
    const r = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + Hotline.token(), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { Hotline.leave(); throw new Error('session expired'); }
    return { ok: r.ok, status: r.status, data: await r.json() };
  };
  const errorIds = () => ['calendarNameError', 'calendarTimeZoneError', 'calendarHolidaysError', 'calendarSpecialError']
    .concat(DAYS.map(d => 'calendarDayError-' + d));
  const clearErrors = () => { errorIds().forEach(id => Hotline.text(id, '')); $('calendarProblems').replaceChildren(); Hotline.text('calendarStatus', ''); };
  // The server's field path (time_zone, weekly.monday, holidays[2].to, special[0].hours, name) → the element beside it.
  const errorFor = field => {
    if (!field) return null;
    if (field === 'name') return 'calendarNameError';
    if (field.startsWith('time_zone')) return 'calendarTimeZoneError';
    if (field.startsWith('holidays')) return 'calendarHolidaysError';
    if (field.startsWith('special')) return 'calendarSpecialError';
    const m = /^weekly\.(\w+)/.exec(field);
    return m && DAYS.includes(m[1]) ? 'calendarDayError-' + m[1] : null;
  };
  const show = (field, message) => {
    const id = errorFor(field);
    if (id) { const el = $(id); el.textContent = (el.textContent ? el.textContent + '; ' : '') + (field.includes('[') ? field + ': ' : '') + message; }
    const li = document.createElement('li'); li.className = 'alert'; li.textContent = (field ? field + ': ' : '') + message;
    $('calendarProblems').appendChild(li);
  };
  const ranges = text => { const t = text.trim(); return t === '' || t === 'closed' ? 'closed' : t.split(',').map(x => x.trim()).filter(x => x); };
  const definition = () => {
    const def = { time_zone: $('calendarTimeZone').value.trim(), weekly: {} };
    DAYS.forEach(d => { def.weekly[d] = ranges($('calendarDay-' + d).value); });
    def.holidays = $('calendarHolidays').value.split('\n').map(l => l.trim()).filter(l => l).map(l => {
      const [dates, ...name] = l.split(/\s+/); const [from, to] = dates.split('..');
      const h = to ? { from, to } : { date: from }; if (name.length) h.name = name.join(' '); return h;
    });
    def.special = $('calendarSpecial').value.split('\n').map(l => l.trim()).filter(l => l).map(l => {
      const [date, ...hours] = l.split(/\s+/); return { date, hours: ranges(hours.join(' ')) };
    });
    return def;
  };
  const fill = (name, def) => {
    clearErrors();
    $('calendarFormTitle').textContent = name ? 'Edit ' + name : 'New calendar';
    $('calendarName').value = name || ''; $('calendarName').disabled = !!name;
    $('calendarTimeZone').value = def ? def.time_zone : '';
    DAYS.forEach(d => { const v = def ? def.weekly[d] : ''; $('calendarDay-' + d).value = Array.isArray(v) ? v.join(', ') : (v || ''); });
    $('calendarHolidays').value = def ? def.holidays.map(h => (h.from === h.to ? h.from : h.from + '..' + h.to) + (h.name ? ' ' + h.name : '')).join('\n') : '';
    $('calendarSpecial').value = def ? def.special.map(s => s.date + ' ' + (Array.isArray(s.hours) ? s.hours.join(', ') : s.hours)).join('\n') : '';
  };
  const open = async name => {
    try { const c = await Hotline.api('GET', '/api/calendars/' + encodeURIComponent(name)); fill(name, c.definition);
      Hotline.text('calendarStatus', 'from the ' + c.definitionFrom + (c.inEffect === 'none' ? ' (not in effect)' : '')); }
    catch (e) { Hotline.text('calendarStatus', e.message); }
  };
  const load = async () => {
    try {
      const list = await Hotline.api('GET', '/api/calendars');
      Hotline.text('calendarsDatabase', list.databaseLoaded ? '' : 'Database calendars not loaded: ' + list.databaseError);
      const tb = $('calendars');
      // Redrawn only when the calendars changed: a periodic redraw swapped the buttons under the pointer.
      const key = JSON.stringify(list.calendars);
      if (tb.dataset.shown === key) return;
      tb.dataset.shown = key; tb.replaceChildren();
      list.calendars.forEach(c => {
        const tr = document.createElement('tr'); tr.id = 'calendar-' + c.name;
        const db = c.database;
        [c.name, c.inEffect + (c.file && db && db.enabled ? ' (replaces the file)' : ''), c.timeZone || '', c.now || '',
          c.usedBy.join(', '), db ? new Date(db.updatedAt).toLocaleString() + ' by ' + db.updatedBy + (db.enabled ? '' : ' (disabled)') : 'file']
          .forEach(v => Hotline.cell(tr, v));
        const td = Hotline.cell(tr, '');
        const edit = document.createElement('button'); edit.id = 'calendar-edit-' + c.name; edit.textContent = 'Edit';
        edit.onclick = () => open(c.name);
        td.appendChild(edit);
        if (db) {
          const toggle = document.createElement('button'); toggle.id = 'calendar-toggle-' + c.name;
          toggle.textContent = db.enabled ? 'Disable' : 'Enable';
          toggle.onclick = async () => {
            const r = await send('POST', '/api/calendars/' + encodeURIComponent(c.name) + (db.enabled ? '/disable' : '/enable'), {});
            Hotline.text('calendarStatus', r.ok ? c.name + ': ' + r.data.inEffect + ' in effect' : r.data.detail);
            load();
          };
          td.append(' ', toggle);
        }
        tb.appendChild(tr);
      });
    } catch (e) { Hotline.text('calendarStatus', e.message); }
  };
  $('calendarForm').onsubmit = async ev => {
    ev.preventDefault(); clearErrors();
    const name = $('calendarName').value.trim();
    if (!name) { show('name', 'a name is needed'); return; }
    const r = await send('PUT', '/api/calendars/' + encodeURIComponent(name), definition());
    if (!r.ok) {
      if (r.data.problems) r.data.problems.forEach(p => show(p.field, p.message)); else show(r.data.field, r.data.detail);
      return;
    }
    fill(name, r.data.definition);
    Hotline.text('calendarStatus', 'saved; ' + r.data.inEffect + ' version in effect');
    load();
  };
  $('calendarNew').onclick = () => fill(null, null);
  fill(null, null);
  load();
  setInterval(load, 10000);
})();
