// Shared by every page: the token in sessionStorage, JSON calls, the live WebSocket, announcements for screen
// readers, status messages that clear themselves, and the notice shown on a page the user's role may not open.
'use strict';
const Hotline = {
  token() { return sessionStorage.getItem('hotline.token'); },
  user() { return JSON.parse(sessionStorage.getItem('hotline.user') || 'null'); },
  save(login) {
    sessionStorage.setItem('hotline.token', login.token);
    sessionStorage.setItem('hotline.user', JSON.stringify(login.user));
  },
  /** Each role's own page. */
  home: { agent: '/agent', supervisor: '/wallboard', qa: '/qa', admin: '/admin' },
  names: { agent: 'agents', supervisor: 'supervisors', qa: 'QA staff', admin: 'admins' },
  async api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + this.token() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { this.leave(); throw new Error('session expired'); }
    const data = r.status === 204 ? {} : await r.json();
    if (!r.ok) { const e = new Error(data.detail || data.error || ('HTTP ' + r.status)); e.field = data.field; e.status = r.status; throw e; }
    return data;
  },
  /**
   * The signed-in user when their role may open this page. Without a session: back to sign-in. With a role that
   * may not open it: the page says so, links to their own page and keeps the session (nothing is signed out).
   */
  require(roles) {
    const u = this.user();
    if (!this.token() || !u) { this.leave(); return null; }
    if (!roles.includes(u.role)) { this.refuse(u, roles); return null; }
    return u;
  },
  refuse(u, roles) {
    if (document.getElementById('refused')) return;
    const main = document.querySelector('main');
    const box = document.createElement('section');
    box.id = 'refused'; box.className = 'card'; box.setAttribute('role', 'alert');
    const h = document.createElement('h2'); h.textContent = 'This page is not for your role';
    const p = document.createElement('p');
    p.textContent = 'This page is for ' + roles.map(r => this.names[r]).join(' and ') + '. You are signed in as '
      + u.username + ' (' + u.role + '); you are still signed in.';
    const a = document.createElement('a'); a.href = this.home[u.role]; a.id = 'goHome';
    a.textContent = 'Go to your page (' + this.home[u.role] + ')';
    box.append(h, p, a);
    main.replaceChildren(box);
    document.querySelectorAll('header button, header nav').forEach(e => e.remove());
    a.focus();
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
  /** Says {@code message} to screen readers (a polite live region), without moving the focus. */
  announce(message, urgent) {
    const el = document.getElementById(urgent ? 'alertAnnouncer' : 'announcer');
    if (!el) return;
    el.textContent = '';
    setTimeout(() => { el.textContent = message; }, 50);
  },
  /**
   * A status message in element {@code id} that clears itself after {@code seconds} (default 8), so an error does
   * not stay on screen after later actions succeed; {@code kind} 'error' styles it as one.
   */
  flash(id, message, kind, seconds) {
    const el = document.getElementById(id);
    if (!el) return;
    clearTimeout(el._clear);
    el.textContent = message;
    el.classList.toggle('error', kind === 'error');
    el.classList.toggle('ok', kind === 'ok');
    if (message) el._clear = setTimeout(() => { el.textContent = ''; }, (seconds || 8) * 1000);
  },
  text(el, value) { document.getElementById(el).textContent = value; },
  duration(s) { s = Math.max(0, Math.round(s)); const m = Math.floor(s / 60); return m + ':' + String(s % 60).padStart(2, '0'); },
  /** A duration in words for people and screen readers: "1 min 5 s". */
  words(s) { s = Math.max(0, Math.round(s)); const m = Math.floor(s / 60); return (m ? m + ' min ' : '') + (s % 60) + ' s'; },
  cell(tr, value, cls) { const td = document.createElement('td'); td.textContent = value; if (cls) td.className = cls; tr.appendChild(td); return td; },
  /** A label tag (a name made readable: "site-survey" → "site survey"). */
  label(code) { return String(code).replace(/[-_]/g, ' '); },
};

// An active/standby pair (docs/OPERATIONS.md, "Running a pair"): on the standby engine every page shows a banner
// naming the active engine, with a link to it; its changes are refused (503 standby). Checked every 5 s, so the
// banner goes away when this engine takes over.
Hotline.ha = {
  async check() {
    let s;
    try { s = await (await fetch('/api/ha')).json(); } catch (e) { return; }
    let banner = document.getElementById('haBanner');
    if (s.role !== 'standby') { if (banner) banner.remove(); return; }
    if (!banner) {
      banner = document.createElement('div');
      banner.id = 'haBanner'; banner.className = 'ha-banner'; banner.setAttribute('role', 'status');
      document.body.prepend(banner);
    }
    const text = 'Read-only: engine ' + s.engine + ' is the standby. '
      + (s.activeEngine ? 'Engine ' + s.activeEngine + ' is active' : 'No engine is active yet');
    banner.replaceChildren(document.createTextNode(text + (s.activeUrl ? ': ' : '.')));
    if (s.activeUrl) {
      const a = document.createElement('a'); a.id = 'haActive'; a.href = s.activeUrl;
      a.textContent = 'go to ' + s.activeUrl; banner.append(a);
    }
  },
};
Hotline.ha.check();
setInterval(() => Hotline.ha.check(), 5000);
