// « Conflits à arbitrer »: the company's sync rejections waiting for an admin, the till's value beside the
// server's on the field that differs, « Garder la caisse » / « Garder le serveur »; the decision is recorded
// (who, when) and reaches the till at its next sync (its « Conflits » screen shows the outcome).
import { h, mount } from '../lib/dom.js';
import { api, ApiError } from '../api.js';
import { loadView } from '../store.js';
import { describeField, differingLines, serverSide, FIELD_LABELS, NAMES } from '../screens/conflicts.js';
import { formatDateFr } from '../lib/dates.js';
import { header, base, dateTimeFr } from './context.js';
import { toast, showError } from '../components/toast.js';
import { isOfflineFailure, unavailable } from './offline.js';
import './backoffice.css';

/** Rows [field, till, server] of the fields that differ (the server's side: the day as it is now). */
export function differences(view, r) {
  const server = serverSide({ server_value: r.current_value ?? r.server_value });
  const rows = [];
  if (r.name === 'day.put') {
    for (const [name, mine] of Object.entries(r.args?.fields ?? {})) {
      const label = FIELD_LABELS[name] ?? name;
      if (Array.isArray(mine) || Array.isArray(server.fields[name])) {
        for (const line of differingLines(view, mine, server.fields[name])) rows.push([`${label} · ${line[0]}`, line[1], line[2]]);
      } else if (String(mine ?? '') !== String(server.fields[name] ?? '')) {
        rows.push([label, describeField(view, name, mine), describeField(view, name, server.fields[name])]);
      }
    }
  } else {
    rows.push([NAMES[r.name] ?? r.name, r.message || '—', server.closed ? 'Journée clôturée' : '—']);
  }
  return rows;
}

function table(rows) {
  return h('table', { class: 'compare', testid: 'arbitration-compare' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Champ'), h('th', { scope: 'col' }, 'Valeur de la caisse'), h('th', { scope: 'col' }, 'Valeur du serveur'))),
    h('tbody', {}, rows.map(([label, mine, theirs]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, mine), h('td', {}, theirs)))));
}

const OUTCOME = { mine: 'Valeur de la caisse gardée', server: 'Valeur du serveur gardée' };

export async function render(main) {
  const found = await header(main, 'Conflits à arbitrer');
  if (!found) return;
  const { company } = found;
  const pendingList = h('div', { testid: 'arbitration-pending' });
  const decidedList = h('ul', { class: 'day-list', testid: 'arbitration-decided' });
  main.append(h('p', { class: 'hint' }, 'Une caisse a modifié une valeur que le serveur avait déjà changée. Choisissez la valeur à garder : la caisse verra votre décision à sa prochaine synchronisation.'),
    pendingList, h('section', { class: 'card', 'aria-label': 'Décisions récentes' }, h('h2', {}, 'Décisions récentes'), decidedList));
  const view = await loadView(company.id);
  // Not synced yet on this desktop (a fresh login): name the categories and payment methods from the server,
  // or the comparison says « Moyen 1 » where the till says « Espèces ».
  for (const [entity, path] of [['category', 'categories'], ['payment_method', 'payment-methods']]) {
    if (view.entities?.[entity]?.size) continue;
    try {
      const rows = await api.get(`${base(company)}/${path}`);
      view.entities ??= {};
      view.entities[entity] = new Map(rows.map((row) => [String(row.id), row]));
    } catch {
      // offline: the ids stay as they are (the list below says « Indisponible hors ligne »)
    }
  }

  async function decide(r, choice, card) {
    const error = card.querySelector('.form-error');
    try {
      await api.post(`${base(company)}/rejections/${r.id}/resolve`, { choice });
      toast(choice === 'mine' ? 'La valeur de la caisse est gardée.' : 'La valeur du serveur est gardée.');
      await draw();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        error.hidden = false;
        error.textContent = e.message;
      } else showError(e);
    }
  }
  async function draw() {
    let all;
    try {
      all = await api.get(`${base(company)}/rejections?status=all`);
    } catch (error) {
      if (isOfflineFailure(error)) {
        mount(pendingList, unavailable('les conflits à arbitrer sont sur le serveur ; reconnectez-vous pour les voir.', 'arbitration-unavailable'));
        decidedList.replaceChildren(h('li', { class: 'empty' }, 'Indisponible hors ligne.'));
      } else showError(error, 'Les conflits n’ont pas pu être chargés.');
      return;
    }
    const pending = all.filter((r) => !r.resolution);
    mount(pendingList, pending.length ? pending.map((r) => {
      const card = h('section', { class: 'card conflict', testid: 'arbitration-item', 'aria-label': `${NAMES[r.name] ?? r.name} du ${formatDateFr(r.args?.date)}` },
        h('h2', {}, `${NAMES[r.name] ?? r.name} du ${formatDateFr(r.args?.date)}`),
        h('p', { class: 'hint' }, `Refusée le ${dateTimeFr(r.created_at)} : ${r.message || 'modification refusée'}`),
        table(differences(view, r)),
        h('p', { class: 'form-error', role: 'alert', hidden: true }),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button primary', testid: 'keep-till', onclick: () => decide(r, 'mine', card) }, 'Garder la caisse'),
          h('button', { type: 'button', class: 'button', testid: 'keep-server', onclick: () => decide(r, 'server', card) }, 'Garder le serveur')));
      return card;
    }) : h('p', { class: 'ok', testid: 'arbitration-none' }, 'Aucun conflit en attente.'));
    const decided = all.filter((r) => r.resolution).slice(0, 20);
    decidedList.replaceChildren(...(decided.length ? decided.map((r) => h('li', { class: 'flow', testid: `decided-${r.id}` },
      h('span', { class: 'flow-text' }, `${NAMES[r.name] ?? r.name} du ${formatDateFr(r.args?.date)} · ${OUTCOME[r.resolution]} le ${dateTimeFr(r.resolved_at)}`)))
      : [h('li', { class: 'empty' }, 'Aucune décision pour l’instant.')]));
  }
  await draw();
}
