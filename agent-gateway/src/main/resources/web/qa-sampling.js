// Quality page, Sampling: progress per agent and per QA staff member for a month, the calls proposed for an agent
// (each with a Score button), and the monthly plans (QA staff and admins edit them).
// Ids: progress rows #progress-<agent> with .propose; proposal rows #proposal-<callId>; #planAgent, #planMin,
// #planMax, #planRules, #planEvaluator, #planSave, #planStatus.
'use strict';
(() => {
  const $ = QA.$;
  const month = () => $('sMonth').value || QA.month();

  const progress = async () => {
    QA.error('error');
    if (!$('sMonth').value) $('sMonth').value = QA.month();
    try {
      const p = await Hotline.api('GET', '/api/qa/progress?month=' + month());
      const body = $('progressBody'); body.replaceChildren();
      p.agents.forEach(a => {
        const tr = document.createElement('tr'); tr.id = 'progress-' + a.agentId;
        [a.agentId, a.teams.join(', '), a.done, a.minCalls + '–' + a.maxCalls,
         a.rules.map(r => r.rule + (r.satisfied ? ' ✓' : r.possible ? ' ✗' : ' (no such call)')).join('; '),
         a.state, a.evaluator || ''].forEach(v => Hotline.cell(tr, v));
        tr.children[5].className = 'state-' + a.state;
        const td = document.createElement('td');
        td.appendChild(QA.button('Propose calls', 'propose', () => propose(a.agentId)));
        tr.appendChild(td); body.appendChild(tr);
      });
      const ev = $('evaluatorBody'); ev.replaceChildren();
      p.evaluators.forEach(e => { const tr = document.createElement('tr'); tr.id = 'evaluator-' + e.evaluator;
        [e.evaluator, e.agents, e.planned, e.done].forEach(v => Hotline.cell(tr, v)); ev.appendChild(tr); });
      await plans();
    } catch (e) { QA.error('error', e); }
  };
  QA.onTab.sampling = progress;
  $('sShow').onclick = progress;

  const propose = async agent => {
    try {
      const r = await Hotline.api('GET', '/api/qa/proposals?agent=' + encodeURIComponent(agent) + '&month=' + month());
      $('proposalsBox').hidden = false;
      Hotline.text('proposalsAgent', agent + ' (' + r.month + ')');
      const body = $('proposalsBody'); body.replaceChildren();
      r.proposals.forEach(p => {
        const tr = document.createElement('tr'); tr.id = 'proposal-' + p.callId;
        [p.callId, QA.when(p.startedAt), p.queue, Hotline.duration(p.talkSeconds), p.disposition || '', p.csat == null ? '' : p.csat,
         p.reasons.join(', ')].forEach(v => Hotline.cell(tr, v));
        const td = document.createElement('td');
        td.appendChild(QA.button('Score', 'score', () => { QA.show('calls'); QA.score({ callId: p.callId, agentId: agent, evaluations: 0 }); }));
        tr.appendChild(td); body.appendChild(tr);
      });
      if (!r.proposals.length) Hotline.cell(body.insertRow(), 'Nothing to propose: the plan is met, or no recorded call is left.');
    } catch (e) { QA.error('error', e); }
  };

  const plans = async () => {
    const r = await Hotline.api('GET', '/api/qa/plans');
    const body = $('plansBody'); body.replaceChildren();
    const sel = $('planAgent'); const chosen = sel.value; sel.replaceChildren();
    [r.default].concat(r.agents.filter(a => a.own)).forEach(p => {
      const tr = document.createElement('tr'); tr.id = 'plan-' + p.agent;
      [p.agent === 'default' ? 'every agent (default)' : p.agent, p.minCalls, p.maxCalls, p.rules, p.evaluator || ''].forEach(v => Hotline.cell(tr, v));
      body.appendChild(tr);
    });
    ['default'].concat(r.agents.map(a => a.agent)).forEach(a => { const o = document.createElement('option'); o.value = a; o.textContent = a; sel.appendChild(o); });
    if (chosen) sel.value = chosen;
    const fill = () => {
      const p = sel.value === 'default' ? r.default : r.agents.find(a => a.agent === sel.value);
      $('planMin').value = p.minCalls; $('planMax').value = p.maxCalls; $('planRules').value = p.rules; $('planEvaluator').value = p.evaluator || '';
    };
    sel.onchange = fill; fill();
    $('planEditor').hidden = !['qa', 'admin'].includes(QA.user.role);
  };

  $('planSave').onclick = async () => {
    ['planMin', 'planMax', 'planRules', 'planEvaluator'].forEach(f => QA.error(f + 'Error'));
    Hotline.text('planStatus', '');
    const body = { minCalls: Number($('planMin').value), maxCalls: Number($('planMax').value), rules: $('planRules').value.trim() || undefined,
                   evaluator: $('planEvaluator').value.trim() || undefined };
    const r = await fetch('/api/qa/plans/' + encodeURIComponent($('planAgent').value), { method: 'PUT',
      headers: { 'Authorization': 'Bearer ' + Hotline.token(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const data = await r.json();
    if (!r.ok) {
      const field = { minCalls: 'planMin', maxCalls: 'planMax', rules: 'planRules', evaluator: 'planEvaluator' }[data.field];
      QA.error(field ? field + 'Error' : 'error', data.detail || data.error);
      return;
    }
    Hotline.text('planStatus', 'saved: ' + data.agent + ' ' + data.minCalls + '–' + data.maxCalls);
    progress();
  };
})();
