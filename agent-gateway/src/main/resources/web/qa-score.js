// Quality page: scoring a call on a form, the evaluations list and detail (the agent acknowledges or disputes, QA
// resolves), and the calibration view of a call scored by several evaluators.
// Ids: #scoreForm, a question's answers #a-<question>-<value> (radio), its comment #c-<question>, #scoreSubmit,
// #scoreResult; evaluation rows #eval-<id> with .view / .calibrate; #ackButton, #disputeComment, #disputeButton,
// #resolveButton; #evalStatus; calibration rows #cal-<question> (class "differs" where evaluators differ).
'use strict';
(() => {
  const $ = QA.$;
  let scoring = null;
  let current = null;

  const renderForm = form => {
    const box = $('scoreQuestions'); box.replaceChildren();
    form.sections.forEach(s => {
      const h = document.createElement('h4'); h.textContent = s.title; box.appendChild(h);
      s.questions.forEach(q => {
        const fs = document.createElement('fieldset'); fs.id = 'q-' + q.id;
        if (q.critical) fs.className = 'critical';
        const lg = document.createElement('legend'); lg.textContent = q.text + ' (weight ' + q.weight + ')'; fs.appendChild(lg);
        q.answers.forEach(v => {
          const l = document.createElement('label');
          const r = document.createElement('input'); r.type = 'radio'; r.name = 'a-' + q.id; r.value = v; r.id = 'a-' + q.id + '-' + v;
          l.appendChild(r); l.append(' ' + (v === 'na' ? 'N/A' : v)); fs.appendChild(l);
        });
        const c = document.createElement('input'); c.id = 'c-' + q.id; c.placeholder = 'comment'; c.maxLength = 1000;
        fs.appendChild(c); box.appendChild(fs);
      });
    });
  };

  const loadForm = async () => {
    const id = $('scoreForm').value;
    if (!id) { $('scoreQuestions').replaceChildren(); return; }
    try { scoring.form = (await Hotline.api('GET', '/api/qa/forms/' + encodeURIComponent(id))).form; renderForm(scoring.form); }
    catch (e) { QA.error('scoreError', e); }
  };

  QA.score = async call => {
    scoring = { call };
    $('scoreBox').hidden = false;
    Hotline.text('scoreCall', call.callId);
    Hotline.text('scoreAgent', call.agentId);
    Hotline.text('scoreResult', '');
    QA.error('scoreError');
    $('scoreComments').value = '';
    $('scoreCalibration').checked = call.evaluations > 0;
    try {
      const forms = (await Hotline.api('GET', '/api/qa/forms')).forms.filter(f => f.enabled);
      const sel = $('scoreForm'); sel.replaceChildren();
      forms.forEach(f => { const o = document.createElement('option'); o.value = f.id; o.textContent = f.name + ' (v' + f.version + ')'; sel.appendChild(o); });
      if (!forms.length) QA.error('scoreError', 'no form yet: an admin writes one under Forms');
      await loadForm();
      $('scoreBox').scrollIntoView();
    } catch (e) { QA.error('scoreError', e); }
  };
  $('scoreForm').onchange = loadForm;

  $('scoreSubmit').onclick = async () => {
    QA.error('scoreError');
    if (!scoring || !scoring.form) return;
    const answers = [];
    scoring.form.sections.forEach(s => s.questions.forEach(q => {
      const r = document.querySelector('input[name="a-' + q.id + '"]:checked');
      const c = $('c-' + q.id).value.trim();
      answers.push(Object.assign({ question: q.id, value: r ? r.value : '' }, c ? { comment: c } : {}));
    }));
    const missing = answers.filter(a => !a.value).map(a => a.question);
    if (missing.length) { QA.error('scoreError', 'not answered: ' + missing.join(', ')); return; }
    try {
      const e = await Hotline.api('POST', '/api/qa/evaluations', { callId: scoring.call.callId, formId: scoring.form.id,
        answers, comments: $('scoreComments').value.trim() || undefined, calibration: $('scoreCalibration').checked });
      Hotline.text('scoreResult', 'saved ' + e.id + ': score ' + e.score + '%' + (e.failedCritical.length ? ' (critical failed: ' + e.failedCritical.join(', ') + ')' : ''));
      if (QA.refreshCalls) QA.refreshCalls();
    } catch (e) { QA.error('scoreError', e); }
  };

  // ---- evaluations
  const list = async () => {
    QA.error('evalError');
    const agent = QA.user.role === 'agent';
    $('eAgentLabel').hidden = agent;
    Hotline.text('evalTitle', agent ? 'My evaluations' : 'Evaluations');
    const p = new URLSearchParams();
    if ($('eMonth').value) p.set('month', $('eMonth').value);
    if (!agent && $('eAgent').value.trim()) p.set('agent', $('eAgent').value.trim());
    try {
      const r = await Hotline.api('GET', '/api/qa/evaluations?' + p);
      const body = $('evalBody'); body.replaceChildren();
      r.evaluations.forEach(e => {
        const tr = document.createElement('tr'); tr.id = 'eval-' + e.id;
        [e.callId, QA.when(e.callStartedAt), e.agentId, e.formId + ' v' + e.formVersion, e.evaluator + (e.calibration ? ' (calibration)' : ''),
         e.score + '%', e.failedCritical.join(', '), e.status].forEach(v => Hotline.cell(tr, v));
        if (e.failedCritical.length) tr.children[6].className = 'critical-failed';
        const td = document.createElement('td');
        td.appendChild(QA.button('View', 'view', () => show(e)));
        if (!agent) td.appendChild(QA.button('Calibration', 'calibrate', () => calibration(e.callId)));
        tr.appendChild(td); body.appendChild(tr);
      });
      if (!r.evaluations.length) Hotline.cell(body.insertRow(), agent ? 'No evaluation of your calls yet.' : 'No evaluation.');
    } catch (e) { QA.error('evalError', e); }
  };
  QA.onTab.evaluations = list;
  $('eShow').onclick = list;

  const show = e => {
    current = e;
    $('evalDetail').hidden = false;
    Hotline.text('evalId', e.id);
    Hotline.text('evalScore', e.score + '%' + (e.failedCritical.length ? ' — failed critical: ' + e.failedCritical.join(', ') + ' (raw ' + e.rawScore + '%)' : ''));
    Hotline.text('evalMeta', 'call ' + e.callId + ' of agent ' + e.agentId + ', ' + QA.when(e.callStartedAt) + '; form ' + e.formName
      + ' v' + e.formVersion + '; by ' + e.evaluator + ' ' + QA.when(e.createdAt) + '; sections: '
      + Object.entries(e.sections).map(([k, v]) => k + ' ' + v + '%').join(', ') + '; status ' + e.status
      + (e.agentComment ? ' (“' + e.agentComment + '”)' : '') + (e.resolution ? '; resolved by ' + e.resolvedBy + ': ' + e.resolution : ''));
    const body = $('evalAnswers'); body.replaceChildren();
    e.answers.forEach(a => { const tr = document.createElement('tr'); [a.section, a.text + (a.critical ? ' (critical)' : ''), a.value, a.comment].forEach(v => Hotline.cell(tr, v)); body.appendChild(tr); });
    Hotline.text('evalComments', e.comments ? 'Comments: ' + e.comments : '');
    $('agentAnswer').hidden = !(QA.user.role === 'agent' && e.status === 'submitted');
    $('qaResolve').hidden = !(['qa', 'admin'].includes(QA.user.role) && e.status === 'disputed');
    Hotline.text('evalStatus', e.status);
    QA.error('evalError');
  };
  const respond = async (what, comment) => {
    try {
      const e = await Hotline.api('POST', '/api/qa/evaluations/' + encodeURIComponent(current.id) + '/' + what, comment ? { comment } : {});
      show(e); list();
    } catch (e) { QA.error('evalError', e); }
  };
  $('ackButton').onclick = () => respond('acknowledge', $('ackComment').value.trim());
  $('disputeButton').onclick = () => respond('dispute', $('disputeComment').value.trim());
  $('resolveButton').onclick = () => respond('resolve', $('resolveComment').value.trim());

  const calibration = async callId => {
    try {
      const c = await Hotline.api('GET', '/api/qa/calibration?call=' + encodeURIComponent(callId));
      $('calibration').hidden = false;
      Hotline.text('calCall', c.callId + ' (form ' + c.formId + ' v' + c.formVersion + ')');
      Hotline.text('calScores', c.scores.map(s => s.evaluator + ': ' + s.score + '%').join(', ') + ' — spread ' + c.spread
        + ' points; ' + c.differing + ' question(s) answered differently');
      const evaluators = c.scores.map(s => s.evaluator);
      const head = $('calHead'); head.replaceChildren();
      const hr = document.createElement('tr');
      ['Section', 'Question'].concat(evaluators).forEach(v => { const th = document.createElement('th'); th.textContent = v; hr.appendChild(th); });
      head.appendChild(hr);
      const body = $('calBody'); body.replaceChildren();
      c.rows.forEach(r => {
        const tr = document.createElement('tr'); tr.id = 'cal-' + r.question; if (r.differs) tr.className = 'differs';
        [r.section, r.text + (r.critical ? ' (critical)' : '')].concat(evaluators.map(ev => r.answers[ev])).forEach(v => Hotline.cell(tr, v));
        body.appendChild(tr);
      });
      $('calibration').scrollIntoView();
    } catch (e) { QA.error('evalError', e); }
  };
})();
