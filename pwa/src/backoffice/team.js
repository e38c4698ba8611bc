// « Équipe »: the company's members and roles, invitations by activation code (shown once), revoking an
// access, a new code for a forgotten password; my personal API tokens and my open sessions.
import { h, mount, select } from '../lib/dom.js';
import { api } from '../api.js';
import { buildForm } from './crud.js';
import { header, base, dateTimeFr, shownOnce } from './context.js';
import { toast, showError } from '../components/toast.js';
import { isOfflineFailure, unavailable } from './offline.js';

/** A card's first load: offline, « Indisponible hors ligne » in place of an empty list. */
function firstLoad(card, reload, what) {
  return reload().catch((error) => (isOfflineFailure(error) ? card.replaceChildren(card.firstChild, unavailable(what, `${card.dataset.testid}-unavailable`)) : showError(error)));
}

const ROLES = [{ value: 'cashier', label: 'Caissier' }, { value: 'admin', label: 'Administrateur' }];
const roleLabel = (role) => ROLES.find((r) => r.value === role)?.label ?? role;

function codeBox(email, code) {
  return shownOnce(`Code d’accès de ${email}`, code,
    h('p', {}, '« Demandez vos codes d’accès » : remettez ce code à la personne. Sur l’écran de connexion, elle choisit « J’ai un code d’activation », saisit son e-mail, ce code et son mot de passe.'));
}

async function membersCard(card, company, me) {
  const secret = h('div', {});
  const tbody = h('tbody', {});
  const act = async (fn, done) => {
    try {
      const answer = await fn();
      if (done) toast(done);
      await reload();
      return answer;
    } catch (error) {
      showError(error);
      return null;
    }
  };
  async function reload() {
    const [members, invitations] = await Promise.all([api.get(`${base(company)}/members`), api.get(`${base(company)}/invitations`)]);
    tbody.replaceChildren(...members.map((m) => {
      const who = m.user.name || m.user.email;
      const role = select(ROLES, m.role, { testid: `member-role-${m.user.id}`, 'aria-label': `Rôle de ${who}` });
      role.addEventListener('change', () => act(() => api.patch(`${base(company)}/members/${m.user.id}`, { role: role.value }), `Rôle de ${who} : ${roleLabel(role.value)}.`));
      const self = m.user.id === me?.user?.id;
      return h('tr', { testid: `member-${m.user.email}` },
        h('th', { scope: 'row' }, who, h('br'), h('small', {}, m.user.email)),
        h('td', {}, role),
        h('td', {}, m.activated ? h('span', { class: 'pill pill-closed' }, 'Compte activé') : h('span', { class: 'pill pill-warn' }, 'En attente d’activation')),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', class: 'button small', testid: `member-reset-${m.user.id}`, 'aria-label': `Nouveau code pour ${who}`, onclick: async () => {
            const answer = await act(() => api.post(`${base(company)}/members/${m.user.id}/reset-code`, {}));
            if (answer) mount(secret, codeBox(m.user.email, answer.activation_code));
          } }, 'Nouveau code'),
          self ? null : h('button', { type: 'button', class: 'button small danger', testid: `member-remove-${m.user.id}`, 'aria-label': `Retirer l’accès de ${who}`, onclick: () => {
            if (window.confirm(`Retirer l’accès de ${who} à ${company.name} ?`)) act(() => api.del(`${base(company)}/members/${m.user.id}`), `Accès de ${who} retiré.`);
          } }, 'Retirer l’accès')));
    }), ...invitations.map((inv) => h('tr', { testid: `invitation-${inv.email}` },
      h('th', { scope: 'row' }, inv.email), h('td', {}, roleLabel(inv.role)),
      h('td', {}, h('span', { class: 'pill pill-pending' }, 'Invitation envoyée')),
      h('td', { class: 'row-actions' }, h('button', { type: 'button', class: 'button small danger', 'aria-label': `Annuler l’invitation de ${inv.email}`,
        onclick: () => act(() => api.del(`${base(company)}/invitations/${inv.id}`), 'Invitation annulée.') }, 'Annuler l’invitation')))));
  }
  const form = buildForm({
    fields: [
      { name: 'email', label: 'E-mail' },
      { name: 'name', label: 'Nom' },
      { name: 'role', label: 'Rôle', type: 'select', options: ROLES },
    ],
    values: { role: 'cashier' }, testid: 'invite-form', submitLabel: 'Inviter',
    save: (values) => api.post(`${base(company)}/members`, values),
    onSaved: async (answer, values) => {
      if (answer.activation_code) mount(secret, codeBox(values.email, answer.activation_code));
      else mount(secret, h('p', { class: 'notice', role: 'status' }, `${values.email} a déjà un compte : une invitation l’attend à sa prochaine connexion.`));
      form.el.reset();
      await reload();
    },
  });
  card.append(h('table', { class: 'bo-table', testid: 'members' },
      h('thead', {}, h('tr', {}, ['Personne', 'Rôle', 'État'].map((t) => h('th', { scope: 'col' }, t)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      tbody),
    secret, h('h3', {}, 'Inviter une personne'), form.el);
  await firstLoad(card, reload, 'les membres ne sont pas gardés sur cet appareil.');
}

async function tokensCard(card) {
  const list = h('ul', { class: 'day-list', testid: 'tokens' });
  const secret = h('div', {});
  async function reload() {
    const tokens = await api.get('/api/auth/tokens');
    list.replaceChildren(...tokens.map((t) => h('li', { class: 'flow', testid: `token-${t.id}` },
      h('span', { class: 'flow-text' }, `${t.name} · ${t.prefix}… · créé le ${dateTimeFr(t.created_at)}`),
      h('button', { type: 'button', class: 'button small danger', 'aria-label': `Révoquer le jeton ${t.name}`, testid: `token-revoke-${t.id}`, onclick: async () => {
        try {
          await api.del(`/api/auth/tokens/${t.id}`);
          toast('Jeton révoqué.');
          reload();
        } catch (error) {
          showError(error);
        }
      } }, 'Révoquer'))));
    if (!tokens.length) list.append(h('li', { class: 'empty' }, 'Aucun jeton.'));
  }
  const form = buildForm({
    fields: [{ name: 'name', label: 'Nom du jeton', hint: 'Par exemple : logiciel de caisse, tableur.' }],
    testid: 'token-form', submitLabel: 'Créer un jeton',
    save: (values) => api.post('/api/auth/tokens', values),
    onSaved: (answer) => {
      mount(secret, shownOnce(`Jeton « ${answer.name} »`, answer.token, h('p', {}, 'À utiliser comme en-tête « Authorization: Bearer … » de vos outils.')));
      form.el.reset();
      reload();
    },
  });
  card.append(h('p', { class: 'hint' }, 'Vos jetons d’accès personnels, pour relier un autre logiciel à la caisse.'), list, secret, form.el);
  await firstLoad(card, reload, 'les jetons ne sont pas gardés sur cet appareil.');
}

async function sessionsCard(card) {
  const list = h('ul', { class: 'day-list', testid: 'sessions' });
  async function reload() {
    const sessions = await api.get('/api/auth/sessions');
    list.replaceChildren(...sessions.map((s) => h('li', { class: 'flow', testid: `session-${s.id}` },
      h('span', { class: 'flow-text' }, `${s.current ? 'Ce navigateur · ' : ''}${(s.user_agent || 'Navigateur inconnu').slice(0, 80)} · dernière activité ${dateTimeFr(s.last_seen_at)}`),
      s.current ? null : h('button', { type: 'button', class: 'button small danger', 'aria-label': `Fermer la session ouverte le ${dateTimeFr(s.created_at)}`, onclick: async () => {
        try {
          await api.del(`/api/auth/sessions/${s.id}`);
          toast('Session fermée.');
          reload();
        } catch (error) {
          showError(error);
        }
      } }, 'Fermer la session'))));
  }
  card.append(h('p', { class: 'hint' }, 'Vos sessions ouvertes sur d’autres appareils.'), list);
  await firstLoad(card, reload, 'les sessions ne sont consultables qu’en ligne.');
}

export async function render(main) {
  const found = await header(main, 'Équipe');
  if (!found) return;
  const card = (title, testid) => h('section', { class: 'card', testid, 'aria-label': title }, h('h2', {}, title));
  const members = card('Membres et rôles', 'team-members');
  const tokens = card('Jetons d’accès personnels', 'team-tokens');
  const sessions = card('Mes sessions', 'team-sessions');
  main.append(members, tokens, sessions);
  await Promise.all([membersCard(members, found.company, found.me), tokensCard(tokens), sessionsCard(sessions)]);
}
