// livernode's login form: posts the user and password to Quarkus' form login (j_security_check), which answers
// 200 with a session cookie or 401, then opens the page the user came for (only a path of this node).
'use strict';

const form = document.getElementById('login');
form.addEventListener('submit', async event => {
  event.preventDefault();
  const status = document.getElementById('status');
  const response = await fetch('/j_security_check', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'fetch' },
    body: new URLSearchParams(new FormData(form)),
  });
  if (!response.ok) {
    status.textContent = response.status === 401 ? 'Wrong user name or password.' : `Sign-in failed: HTTP ${response.status}`;
    return;
  }
  const next = new URLSearchParams(location.search).get('next') || '/';
  location.assign(next.startsWith('/') && !next.startsWith('//') ? next : '/');
});
