// The agent desktop's outbound preview card (docs/OUTBOUND.md): in a preview campaign the contact offered to the
// agent is shown with the campaign's script before anything is dialled; the agent dials or skips it. After an
// outbound call, the campaign's dispositions. Polls /api/agents/me/preview every 2 s.
// Ids: #previewCard, #previewCampaign, #previewName, #previewNumber, #previewFields (values [data-key=<key>]),
// #previewScript, #previewDial, #previewSkip, #obDispo, #obDispoSave, #obDispoResult.
'use strict';
(() => {
  const user = Hotline.user();
  if (!user || user.role !== 'agent') return;
  const $ = id => document.getElementById(id);
  const card = $('previewCard');
  if (!card) return;
  let shown = null;
  const poll = async () => {
    let p;
    try { p = await Hotline.api('GET', '/api/agents/me/preview'); } catch (e) { return; }
    if (!p.preview) { card.hidden = true; shown = null; return; }
    if (shown === p.contactId) return;
    shown = p.contactId;
    Hotline.text('previewCampaign', p.campaign);
    Hotline.text('previewName', p.name);
    Hotline.text('previewNumber', p.number + ' (' + p.zone + ')');
    Hotline.text('previewScript', p.script);
    const dl = $('previewFields'); dl.replaceChildren();
    Object.entries(p.fields).forEach(([k, v]) => {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = v; dd.dataset.key = k;
      dl.append(dt, dd);
    });
    const sel = $('obDispo'); sel.replaceChildren();
    p.dispositions.forEach(d => { const o = document.createElement('option'); o.textContent = d; sel.appendChild(o); });
    card.hidden = false;
    Hotline.announce('Preview: ' + p.name + ', ' + p.campaign);
  };
  const act = async what => {
    try { await Hotline.api('POST', '/api/agents/me/preview/' + what); card.hidden = true; shown = null; }
    catch (e) { Hotline.text('obDispoResult', e.message); }
  };
  $('previewDial').onclick = () => act('dial');
  $('previewSkip').onclick = () => act('skip');
  $('obDispoSave').onclick = async () => {
    try { await Hotline.api('POST', '/api/agents/me/outbound-disposition', { code: $('obDispo').value });
      Hotline.text('obDispoResult', 'saved: ' + $('obDispo').value); }
    catch (e) { Hotline.text('obDispoResult', e.message); }
  };
  poll();
  setInterval(poll, 2000);
})();
