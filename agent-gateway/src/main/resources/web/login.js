'use strict';
document.getElementById('username').focus();
document.getElementById('login').addEventListener('submit', async e => {
  e.preventDefault();
  Hotline.text('error', '');
  const r = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: document.getElementById('username').value,
                           password: document.getElementById('password').value }) });
  const data = await r.json();
  if (!r.ok) { Hotline.text('error', data.detail || data.error); document.getElementById('password').focus(); return; }
  Hotline.save(data);
  location.href = Hotline.home[data.user.role];
});
