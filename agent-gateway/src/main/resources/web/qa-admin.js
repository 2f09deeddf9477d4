// Quality page, Recording and Forms: the queues' recording policies (admins change them), a live call's recording
// (the agent's supervisors and admins start, stop, pause, resume), the recordings retention deleted, and the
// scorecard editor (admins; saving makes a new version).
// Ids: policy rows #policy-<queue> with .mode, .percent, .onDemand, .save; #ctlAgent, #ctlShow, #ctlState, #ctlStart,
// #ctlPause, #ctlResume, #ctlStop; #deletedBody, #runRetention; #formId, #formSource, #formValidate, #formSave,
// #formStatus, #formProblems; form rows #form-<id>.
'use strict';
(() => {
  const $ = QA.$;
  const admin = () => QA.user.role === 'admin';
  const select = (cls, options, value) => {
    const s = document.createElement('select'); s.className = cls;
    options.forEach(o => { const op = document.createElement('option'); op.textContent = o; s.appendChild(op); });
    s.value = value; return s;
  };

  const policies = async () => {
    QA.error('policyError');
    try {
      const r = await Hotline.api('GET', '/api/qa/policies');
      const body = $('policiesBody'); body.replaceChildren();
      r.policies.forEach(p => {
        const tr = document.createElement('tr'); tr.id = 'policy-' + p.queue;
        Hotline.cell(tr, p.queue);
        if (admin()) {
          const mode = select('mode', ['all', 'sample', 'none'], p.mode);
          const pct = document.createElement('input'); pct.type = 'number'; pct.className = 'percent'; pct.min = 1; pct.max = 99; pct.value = p.percent;
          const od = select('onDemand', ['none', 'agent', 'supervisor', 'both'], p.onDemand);
          [mode, pct, od].forEach(el => { const td = document.createElement('td'); td.appendChild(el); tr.appendChild(td); });
          Hotline.cell(tr, p.stored ? 'here' : 'record flag of hotline.yaml');
          const td = document.createElement('td');
          td.appendChild(QA.button('Save', 'save', async () => {
            QA.error('policyError');
            try {
              const saved = await Hotline.api('PUT', '/api/qa/policies/' + encodeURIComponent(p.queue),
                { mode: mode.value, percent: mode.value === 'sample' ? Number(pct.value) : undefined, onDemand: od.value });
              Hotline.text('policyStatus', p.queue + ': ' + saved.describe); policies();
            } catch (e) { QA.error('policyError', e); }
          }));
          if (p.stored) td.appendChild(QA.button('Reset', 'reset', async () => {
            try { await Hotline.api('DELETE', '/api/qa/policies/' + encodeURIComponent(p.queue)); policies(); } catch (e) { QA.error('policyError', e); }
          }));
          tr.appendChild(td);
        } else {
          [p.mode, p.percent + '%', p.onDemand, p.stored ? 'here' : 'record flag of hotline.yaml', ''].forEach(v => Hotline.cell(tr, v));
        }
        body.appendChild(tr);
      });
    } catch (e) { QA.error('policyError', e); }
  };

  const deleted = async () => {
    try {
      const r = await Hotline.api('GET', '/api/qa/recordings/deleted');
      Hotline.text('retention', r.retentionDays ? 'Recordings are kept ' + r.retentionDays + ' days.' : 'Recordings are kept forever (qa.retention_days: 0).');
      const body = $('deletedBody'); body.replaceChildren();
      r.deleted.forEach(d => { const tr = document.createElement('tr');
        [d.file, d.sizeBytes, QA.when(d.lastWritten), QA.when(d.deletedAt), d.reason].forEach(v => Hotline.cell(tr, v)); body.appendChild(tr); });
      if (!r.deleted.length) Hotline.cell(body.insertRow(), 'Nothing deleted in the last 31 days.');
    } catch (e) { QA.error('error', e); }
  };
  $('runRetention').onclick = async () => {
    try { const r = await Hotline.api('POST', '/api/qa/recordings/retention'); Hotline.text('retention', r.deleted.length + ' recording(s) deleted now.'); deleted(); }
    catch (e) { QA.error('error', e); }
  };

  QA.onTab.recording = () => {
    const role = QA.user.role;
    $('controlBox').hidden = !['supervisor', 'admin'].includes(role);
    $('deletedBox').hidden = !['qa', 'admin'].includes(role);
    $('runRetention').hidden = !admin();
    policies();
    if (!$('deletedBox').hidden) deleted();
  };

  // ---- a live call's recording
  const showControl = r => {
    const rec = r.recording;
    Hotline.text('ctlState', !r.onCall ? 'not on a call' : 'queue ' + r.queue + ' (' + r.policy + '): '
      + (rec ? rec.state + ' into ' + rec.file + (rec.pausedSeconds ? ', ' + rec.pausedSeconds + ' s left silent' : '') : 'not recorded'));
  };
  const ctlAgent = () => encodeURIComponent($('ctlAgent').value.trim());
  $('ctlShow').onclick = async () => {
    QA.error('ctlError');
    try { showControl(await Hotline.api('GET', '/api/agents/' + ctlAgent() + '/recording')); } catch (e) { QA.error('ctlError', e); }
  };
  ['start', 'pause', 'resume', 'stop'].forEach(action => {
    $('ctl' + action.charAt(0).toUpperCase() + action.slice(1)).onclick = async () => {
      QA.error('ctlError');
      try { await Hotline.api('POST', '/api/agents/' + ctlAgent() + '/recording', { action }); $('ctlShow').click(); }
      catch (e) { QA.error('ctlError', e); }
    };
  });

  // ---- scorecards
  const showProblems = problems => {
    const ul = $('formProblems'); ul.replaceChildren();
    problems.forEach(p => { const li = document.createElement('li'); li.className = 'alert';
      li.textContent = 'line ' + p.line + ', column ' + p.column + ': ' + p.path + ': ' + p.message; ul.appendChild(li); });
  };
  const forms = async () => {
    try {
      const r = await Hotline.api('GET', '/api/qa/forms');
      const body = $('formsBody'); body.replaceChildren();
      r.forms.forEach(f => {
        const tr = document.createElement('tr'); tr.id = 'form-' + f.id;
        [f.id, f.name, 'v' + f.version, f.enabled ? 'enabled' : 'disabled', QA.when(f.updatedAt) + ' by ' + f.updatedBy].forEach(v => Hotline.cell(tr, v));
        const td = document.createElement('td');
        td.appendChild(QA.button('Edit', 'edit', () => { $('formId').value = f.id; open(); }));
        td.appendChild(QA.button(f.enabled ? 'Disable' : 'Enable', 'toggle', async () => {
          try { await Hotline.api('POST', '/api/qa/forms/' + encodeURIComponent(f.id) + (f.enabled ? '/disable' : '/enable')); forms(); }
          catch (e) { QA.error('error', e); }
        }));
        tr.appendChild(td); body.appendChild(tr);
      });
    } catch (e) { QA.error('error', e); }
  };
  QA.onTab.forms = forms;
  const open = async () => {
    try { $('formSource').value = (await Hotline.api('GET', '/api/qa/forms/' + encodeURIComponent($('formId').value.trim()))).source; showProblems([]); }
    catch (e) { Hotline.text('formStatus', e.message); }
  };
  $('formOpen').onclick = open;
  const sendForm = async (method, path) => {
    const r = await fetch(path, { method, headers: { 'Authorization': 'Bearer ' + Hotline.token(), 'Content-Type': 'text/yaml' },
      body: $('formSource').value });
    return { ok: r.ok, data: await r.json() };
  };
  $('formValidate').onclick = async () => {
    const r = await sendForm('POST', '/api/qa/forms/validate');
    showProblems(r.data.problems || []);
    Hotline.text('formStatus', r.ok ? (r.data.valid ? 'valid' : r.data.problems.length + ' problem(s)') : r.data.detail);
  };
  $('formSave').onclick = async () => {
    const id = $('formId').value.trim();
    const r = await sendForm('PUT', '/api/qa/forms/' + encodeURIComponent(id));
    showProblems(r.data.problems || []);
    Hotline.text('formStatus', r.ok ? 'saved ' + id + ' v' + r.data.form.version : r.data.detail);
    if (r.ok) forms();
  };
})();
