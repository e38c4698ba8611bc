// Connexion, and activation of an account with the code given by the firm.
import { h, mount, field } from '../lib/dom.js';
import { login, activate, cachedMe } from '../session.js';
import { go, href } from '../router.js';
import { installHelp, isIos, isStandalone } from '../components/install-help.js';

/** Where a login lands: a firm admin with several companies starts on the firm's list (#/societes). */
async function landing() {
  const companies = (await cachedMe())?.companies ?? [];
  return companies.length > 1 && companies.every((c) => c.role === 'firm_admin') ? href.companies() : href.home();
}

function errorBox(testid) {
  return h('p', { class: 'form-error', role: 'alert', testid, hidden: true });
}

function showFormError(box, error) {
  box.hidden = false;
  const fieldErrors = Object.values(error?.errors ?? {}).flat();
  box.textContent = error?.status === 401
    ? 'Adresse e-mail ou mot de passe incorrect.'
    : [error?.message || 'La connexion a échoué.', ...fieldErrors].join(' ');
}

async function submitting(form, task) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    await task();
  } finally {
    button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

function loginForm(ctx) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, testid: 'login-email', inputmode: 'email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, testid: 'login-password' });
  const error = errorBox('login-error');
  const form = h('form', { class: 'stack', novalidate: true },
    field('Adresse e-mail', email),
    field('Mot de passe', password),
    error,
    h('button', { type: 'submit', class: 'button primary block', testid: 'login-submit' }, 'Se connecter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!email.value || !password.value) {
      showFormError(error, { message: 'Saisissez votre adresse e-mail et votre mot de passe.' });
      return;
    }
    submitting(form, async () => {
      try {
        await login(email.value, password.value);
        ctx.engine.request('login');
        go(await landing());
      } catch (err) {
        showFormError(error, err);
      }
    });
  });
  return form;
}

function activationForm(ctx) {
  const email = h('input', { type: 'email', autocomplete: 'username', required: true, testid: 'activate-email' });
  const code = h('input', { type: 'text', autocomplete: 'one-time-code', required: true, testid: 'activate-code', autocapitalize: 'characters' });
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8, testid: 'activate-password' });
  const error = errorBox('activate-error');
  const form = h('form', { class: 'stack', novalidate: true, testid: 'activate-form' },
    field('Adresse e-mail', email),
    field('Code d’activation', code, { hint: 'Le code vous a été remis par votre cabinet.' }),
    field('Nouveau mot de passe', password, { hint: 'Au moins 8 caractères.' }),
    error,
    h('button', { type: 'submit', class: 'button primary block', testid: 'activate-submit' }, 'Activer mon compte'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!email.value || !code.value || password.value.length < 8) {
      showFormError(error, { message: 'Remplissez les trois champs (mot de passe : 8 caractères au moins).' });
      return;
    }
    submitting(form, async () => {
      try {
        await activate(email.value, code.value, password.value);
        ctx.engine.request('login');
        go(href.home());
      } catch (err) {
        showFormError(error, err);
      }
    });
  });
  return form;
}

export function renderLogin(main, _params, ctx) {
  const activating = ctx.route.name === 'activate';
  mount(main,
    h('div', { class: 'narrow' },
      h('h1', {}, activating ? 'Activer mon compte' : 'Connexion'),
      h('p', { class: 'lead' }, activating
        ? 'Choisissez votre mot de passe avec le code d’activation reçu de votre cabinet.'
        : 'Saisie journalière de votre caisse, même sans connexion.'),
      h('div', { class: 'card' }, activating ? activationForm(ctx) : loginForm(ctx)),
      h('p', { class: 'center' }, activating
        ? h('a', { href: href.login(), testid: 'login-link' }, 'J’ai déjà un mot de passe')
        : h('a', { href: href.activate(), testid: 'activate-link' }, 'J’ai un code d’activation')),
      isIos() && !isStandalone() ? installHelp() : null,
    ),
  );
  const first = main.querySelector('input');
  if (first) setTimeout(() => first.focus(), 0);
}
