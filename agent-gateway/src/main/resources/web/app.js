// Shared by every page: the token in sessionStorage, JSON calls, the live WebSocket.
'use strict';
const Hotline = {
  token() { return sessionStorage.getItem('hotline.token'); },
  user() { return JSON.parse(sessionStorage.getItem('hotline.user') || 'null'); },
  save(login) {
    sessionStorage.setItem('hotline.token', login.token);
    sessionStorage.setItem('hotline.user', JSON.stringify(login.user));
  },
  async api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + this.token() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { this.leave(); throw new Error('session expired'); }
    const data = r.status === 204 ? {} : await r.json();
    if (!r.ok) throw new Error(data.detail || data.error || ('HTTP ' + r.status));
    return data;
  },
  require(roles) {
    const u = this.user();
    if (!this.token() || !u || !roles.includes(u.role)) { this.leave(); return null; }
    return u;
  },
  leave() { sessionStorage.clear(); location.href = '/'; },
  async logout() { try { await this.api('POST', '/api/logout'); } catch (e) { /* gone already */ } this.leave(); },
  // The token never goes into a URL: each connection asks for a one-time ticket (valid 30 s) and opens /ws with it.
  // api() signs the page out on a 401, so a session that ended (user disabled, password reset, role changed) stops
  // the reconnecting; any other failure is retried.
  async live(onMessage) {
    const retry = () => setTimeout(() => { if (this.token()) this.live(onMessage); }, 2000);
    let ticket;
    try { ticket = (await this.api('POST', '/api/ws/ticket')).ticket; } catch (e) { retry(); return; }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(scheme + '://' + location.host + '/ws?ticket=' + encodeURIComponent(ticket));
    ws.onmessage = e => onMessage(JSON.parse(e.data));
    ws.onclose = retry;
  },
  text(el, value) { document.getElementById(el).textContent = value; },
  duration(s) { s = Math.max(0, Math.round(s)); const m = Math.floor(s / 60); return m + ':' + String(s % 60).padStart(2, '0'); },
  cell(tr, value, cls) { const td = document.createElement('td'); td.textContent = value; if (cls) td.className = cls; tr.appendChild(td); return td; },
};
