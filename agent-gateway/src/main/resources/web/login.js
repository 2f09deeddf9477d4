'use strict';
document.getElementById('login').addEventListener('submit', async e => {
  e.preventDefault();
  Hotline.text('error', '');
  const r = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: document.getElementById('username').value,
                           password: document.getElementById('password').value }) });
  const data = await r.json();
  if (!r.ok) { Hotline.text('error', data.detail || data.error); return; }
  Hotline.save(data);
  location.href = { agent: '/agent', supervisor: '/wallboard', qa: '/qa', admin: '/admin' }[data.user.role];
});
