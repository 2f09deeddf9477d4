// The monthly quality report: per team and agent, evaluations done against the plan, average score and per
// section, critical failures, disputes, the six-month trend. "Print" uses the print style sheet (qa.css), from which
// the browser also saves a PDF; "Download CSV" fetches /api/qa/report.csv.
// Ids: #rMonth, #rShow, #rCsv, #rPrint, #reportTitle; rows #r-team-<team>, #r-agent-<id>, #r-total (cells by header).
'use strict';
(async () => {
  const user = Hotline.require(['supervisor', 'qa', 'admin']);
  if (!user) return;
  const $ = id => document.getElementById(id);
  Hotline.text('who', user.username + ' (' + user.role + ')');
  $('signout').onclick = () => Hotline.logout();
  const params = new URLSearchParams(location.search);
  const now = new Date();
  $('rMonth').value = params.get('month') || now.getFullYear() + '-' + String(now.getMonth() + 1).padStart(2, '0');
  const fmt = v => v == null ? '—' : v.toFixed(1);

  const table = (head, body, rows, sections, prefix, total) => {
    const cols = ['Name', 'Teams', 'Done', 'Planned', 'Average'].concat(sections).concat(['Critical failures', 'Disputes (open)', 'Acknowledged', 'Calibrations']);
    const hr = document.createElement('tr');
    cols.forEach(c => { const th = document.createElement('th'); th.textContent = c; hr.appendChild(th); });
    $(head).replaceChildren(hr);
    const b = $(body); b.replaceChildren();
    rows.concat(total ? [total] : []).forEach(r => {
      const tr = document.createElement('tr'); tr.id = r === total ? 'r-total' : prefix + r.key;
      [r === total ? 'All' : r.key, r.teams.join(', '), r.done, r.planned, fmt(r.averageScore)]
        .concat(sections.map(s => fmt(r.sections[s])))
        .concat([r.criticalFailures, r.disputes + ' (' + r.openDisputes + ')', r.acknowledged, r.calibrations])
        .forEach(v => Hotline.cell(tr, v));
      if (r.done < r.planned) tr.children[2].className = 'alert';
      b.appendChild(tr);
    });
  };

  const show = async () => {
    Hotline.text('error', '');
    try {
      const r = await Hotline.api('GET', '/api/qa/report?month=' + $('rMonth').value);
      Hotline.text('reportTitle', 'Quality report ' + r.month);
      Hotline.text('reportNote', 'Calls begun in ' + r.month + '; due ' + r.due + '. Scores in percent; a call that failed a'
        + ' critical question scores 0. Calibrations are counted apart. Made ' + new Date().toLocaleString() + ' by ' + user.username + '.');
      table('teamsHead', 'teamsBody', r.teams, r.sections, 'r-team-', r.total);
      table('agentsHead', 'agentsBody', r.agents, r.sections, 'r-agent-', null);
      const hr = document.createElement('tr');
      ['Name'].concat(r.trendMonths).forEach(c => { const th = document.createElement('th'); th.textContent = c; hr.appendChild(th); });
      $('trendHead').replaceChildren(hr);
      const tb = $('trendBody'); tb.replaceChildren();
      r.teams.concat(r.total ? [r.total] : []).concat(r.agents).forEach(row => {
        const tr = document.createElement('tr');
        [row === r.total ? 'All' : row.key].concat(r.trendMonths.map(m => fmt(row.trend[m]))).forEach(v => Hotline.cell(tr, v));
        tb.appendChild(tr);
      });
    } catch (e) { Hotline.text('error', e.message); }
  };
  $('rShow').onclick = show;
  $('rPrint').onclick = () => window.print();
  $('rCsv').onclick = async () => {
    const r = await fetch('/api/qa/report.csv?month=' + $('rMonth').value, { headers: { 'Authorization': 'Bearer ' + Hotline.token() } });
    if (!r.ok) { Hotline.text('error', (await r.json()).detail); return; }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await r.blob());
    a.download = 'quality-report-' + $('rMonth').value + '.csv';
    document.body.appendChild(a); a.click(); a.remove();
  };
  show();
})();
