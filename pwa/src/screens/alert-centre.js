// Centre d'alertes: the alerts stored by the server (list, filters by register and kind, resolve with a
// note for admins), and the switch « Recevoir les alertes sur cet appareil » (Web Push).
// Offline, the screen falls back to the controls computed on this device (screens/alerts.js).
import { h, mount, section, select, field, uid } from '../lib/dom.js';
import { api } from '../api.js';
import { getSelection, cachedMe, companyOf } from '../session.js';
import { renderAlerts } from './alerts.js';
import { openRejections } from '../store.js';
import { formatDateFr } from '../lib/dates.js';
import { href } from '../router.js';
import { pushSupported, currentSubscription, enablePush, disablePush } from '../push.js';

export const KIND_LABELS = {
  breakdown_mismatch: 'Ventilation déséquilibrée',
  cash_difference: 'Écart de caisse',
  above_max: 'Espèces au-dessus du plafond',
  below_min: 'Espèces sous le minimum',
  day_missing: 'Journée non saisie',
  day_left_open: 'Journée restée ouverte',
  sync_rejection: 'Modification refusée',
};
const STATUSES = [
  { value: 'open', label: 'Ouvertes' },
  { value: 'closed', label: 'Traitées' },
  { value: 'all', label: 'Toutes' },
];

export function openCountText(n) {
  if (!n) return 'Aucune alerte ouverte.';
  return n === 1 ? '1 alerte ouverte.' : `${n} alertes ouvertes.`;
}

/** Server timestamps are UTC without a zone: show them in the device's time, in French. */
export function dateTimeFr(iso) {
  if (!iso) return '';
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
}

function statusLine(alert) {
  if (alert.status === 'open') return `Ouverte le ${dateTimeFr(alert.created_at)}.`;
  if (alert.resolved_by_id) {
    return `Traitée le ${dateTimeFr(alert.resolved_at)} par ${alert.resolved_by_name ?? 'un administrateur'} : « ${alert.resolution_note} »`;
  }
  return `Close d’elle-même le ${dateTimeFr(alert.resolved_at)} : la condition a disparu.`;
}

function resolveForm(alert, onResolved) {
  const note = h('textarea', { rows: 2, maxlength: 1000, testid: 'resolve-note' });
  const error = h('p', { class: 'form-error', 'aria-live': 'polite', testid: 'resolve-error' });
  const form = h('form', {
    class: 'resolve-form',
    async onsubmit(event) {
      event.preventDefault();
      error.textContent = '';
      if (!note.value.trim()) {
        error.textContent = 'Indiquez ce qui a été fait.';
        note.focus();
        return;
      }
      try {
        await api.post(`/api/companies/${alert.company_id}/alerts/${alert.id}/resolve`, { note: note.value.trim() });
        onResolved();
      } catch (e) {
        error.textContent = e.errors?.note?.[0] ?? e.message;
      }
    },
  },
  field('Note de traitement', note),
  h('button', { type: 'submit', class: 'button', testid: 'resolve-alert' }, 'Marquer comme traitée'),
  error);
  return form;
}

function alertItem(alert, canResolve, onResolved) {
  return h('li', { class: `alert-item finding-${alert.severity}`, testid: 'alert-item', 'data-kind': alert.kind, 'data-status': alert.status },
    h('h3', {}, alert.title),
    h('p', {}, alert.message),
    h('p', { class: 'hint' }, statusLine(alert)),
    alert.register_id && alert.day_date ? h('p', {}, h('a', { href: alert.url.replace(/^\//, ''), testid: 'alert-open-day' }, 'Ouvrir la journée')) : null,
    canResolve && alert.status === 'open' ? resolveForm(alert, onResolved) : null);
}

/** This device's changes the server refused, still to re-type or drop (the « Conflits » screen). */
async function deviceRejections(companyId) {
  const rejections = await openRejections(companyId);
  return section('Modifications refusées sur cet appareil', { testid: 'alerts-rejections' },
    rejections.length
      ? h('div', {},
        h('ul', {}, rejections.map((r) => h('li', { testid: 'rejection-item' }, `${formatDateFr(r.args?.date)} : ${r.message || r.code}`))),
        h('p', {}, h('a', { href: href.conflicts(), class: 'button' }, 'Traiter les conflits')))
      : h('p', { class: 'ok' }, 'Aucune modification refusée.'));
}

async function pushToggle() {
  const box = h('input', { type: 'checkbox', id: uid('push'), testid: 'push-toggle' });
  const message = h('p', { class: 'hint', 'aria-live': 'polite', testid: 'push-status' });
  const wrap = h('div', { class: 'field' },
    h('label', { for: box.id }, box, ' Recevoir les alertes sur cet appareil'), message);
  if (!pushSupported()) {
    box.disabled = true;
    message.textContent = 'Ce navigateur ne reçoit pas les notifications push. Sur iPhone ou iPad, ajoutez d’abord Caisse à l’écran d’accueil.';
    return wrap;
  }
  box.checked = Boolean(await currentSubscription().catch(() => null));
  box.addEventListener('change', async () => {
    box.disabled = true;
    if (box.checked) {
      const result = await enablePush();
      box.checked = result.ok;
      message.textContent = result.ok ? 'Cet appareil recevra les alertes.' : result.message;
    } else {
      try {
        await disablePush();
        message.textContent = 'Cet appareil ne recevra plus les alertes.';
      } catch (error) {
        box.checked = true;
        message.textContent = error.message;
      }
    }
    box.disabled = false;
  });
  return wrap;
}

export async function renderAlertCentre(main, params, ctx) {
  const selection = await getSelection();
  const me = await cachedMe();
  const company = companyOf(me, selection.company_id);
  if (!company) {
    mount(main, h('h1', {}, 'Alertes'), h('p', {}, 'Aucune société sélectionnée.'));
    return null;
  }
  const canResolve = company.role === 'admin' || company.role === 'firm_admin';
  const filters = { status: 'open', register_id: '', kind: '' };
  const toggle = await pushToggle();
  const list = h('div', { 'aria-live': 'polite', testid: 'alert-centre-list' });
  let disposed = false;

  async function load() {
    const query = new URLSearchParams({ status: filters.status });
    if (filters.register_id) query.set('register_id', filters.register_id);
    if (filters.kind) query.set('kind', filters.kind);
    return api.get(`/api/companies/${company.id}/alerts?${query}`);
  }

  async function draw() {
    list.setAttribute('aria-busy', 'true');
    const data = await load();
    if (disposed) return;
    window.dispatchEvent(new Event('caisse:alerts-changed'));
    mount(list,
      h('p', { testid: 'alert-open-count' }, openCountText(data.open_count)),
      data.alerts.length
        ? h('ul', { class: 'alert-list' }, data.alerts.map((a) => alertItem(a, canResolve, () => draw())))
        : h('p', { class: 'ok', testid: 'alert-centre-empty' }, 'Aucune alerte pour ces critères.'));
    list.setAttribute('aria-busy', 'false');
  }

  const onFilter = (key) => (event) => {
    filters[key] = event.target.value;
    draw().catch((error) => mount(list, h('p', { class: 'form-error' }, error.message)));
  };
  const registers = [{ value: '', label: 'Toutes les caisses' }, ...(company.registers ?? []).map((r) => ({ value: r.id, label: r.name }))];
  const kinds = [{ value: '', label: 'Tous les types' }, ...Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))];
  const filterBar = h('div', { class: 'filters', testid: 'alert-filters' },
    field('Caisse', select(registers, '', { testid: 'filter-register', onchange: onFilter('register_id') })),
    field('Type', select(kinds, '', { testid: 'filter-kind', onchange: onFilter('kind') })),
    field('État', select(STATUSES, 'open', { testid: 'filter-status', onchange: onFilter('status') })));

  try {
    await load();
  } catch (error) {
    if (error?.status === 0) return renderAlerts(main, params, ctx); // offline: the device's own controls
    throw error;
  }
  const local = h('div', {}, await deviceRejections(company.id));
  mount(main,
    h('h1', {}, 'Alertes'),
    section('Notifications', { testid: 'alert-push' }, toggle),
    section(`Alertes de ${company.name}`, { testid: 'alert-centre' }, filterBar, list),
    local);
  await draw();
  const stop = ctx.engine.onData(async (e) => {
    if (!e.changed || disposed) return;
    const fresh = await deviceRejections(company.id);
    if (!disposed) local.replaceChildren(fresh);
  });
  return () => {
    disposed = true;
    stop();
  };
}
