// The login form: basic credentials checked with /api/whoami; RabbitMQ's refusals are shown as
// they come ("Not management user", "User can only log in via localhost", ...).

import {h, fill} from '../dom.js';

/** What to tell the user about a refused login. */
export function reason(e) {
  if (e.status === 401 && (e.error === 'not_authorized' || e.reason === 'Not_Authorized')) {
    return 'Login failed: wrong username or password.';
  }
  if (e.status === 401) return 'Login failed: ' + e.reason;
  return e.reason || e.message;
}

export function render(root, message, onLogin) {
  const status = h('div', {id: 'login-status', role: 'alert', class: message ? 'notice error' : null}, message || '');
  const user = h('input', {id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true});
  const password = h('input', {id: 'password', name: 'password', type: 'password', autocomplete: 'current-password'});
  const button = h('button', {type: 'submit', id: 'login-button'}, 'Log in');
  const form = h('form', {id: 'login-form', class: 'login'},
    h('div', {class: 'brand'}, h('img', {src: 'img/logo.svg', alt: '', width: 48, height: 48}), h('h1', null, 'WarrenMQ')),
    h('p', {class: 'sub'}, 'Management'),
    h('label', {for: 'username'}, 'Username'), user,
    h('label', {for: 'password'}, 'Password'), password,
    button, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    status.className = '';
    status.textContent = '';
    try {
      await onLogin(user.value, password.value);
    } catch (err) {
      status.className = 'notice error';
      status.textContent = reason(err);
      button.disabled = false;
    }
  });
  fill(root, h('div', {class: 'login-page'}, form));
  user.focus();
}
