// A closed day read as a document: who closed it and when, its sequence in the register's
// journal and the start of its hash, the corrections with the movement they correct, and for
// admins « Rouvrir » with a required reason (POST …/days/<date>/reopen, audited on the server).
import { h, field } from '../lib/dom.js';
import { api } from '../api.js';
import { money, fromWire } from '../cash.js';
import { cachedMe } from '../session.js';
import { toast, showError } from '../components/toast.js';
import { KIND_LABELS } from './flow-specs.js';

function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const date = d.toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
  const time = d.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });
  return `le ${date} à ${time}`;
}

function amountText(flow) {
  try {
    return money(fromWire(flow.amount));
  } catch {
    return '—';
  }
}

function dayPath(companyId, registerId, date) {
  return `/api/companies/${companyId}/registers/${registerId}/days/${date}`;
}

/** Corrections and voids of the day, each beside the movement it changes. */
export function corrections(flows) {
  const byId = new Map(flows.map((f) => [String(f.id), f]));
  return flows.filter((f) => f.kind === 'void' || f.corrects).map((f) => ({
    flow: f, original: byId.get(String(f.voids ?? f.corrects)) ?? null,
  }));
}

export function closedDocument(dc, owner) {
  const { model } = dc;
  const who = h('span', { testid: 'closed-by' }, '…');
  const at = h('span', {});
  const sequence = h('dd', { testid: 'closed-sequence' });
  const hash = h('dd', { testid: 'closed-hash' });
  let closedAt = null;
  const fill = () => {
    const day = model.stored ?? {};
    at.textContent = when(day.closed_at ?? closedAt);
    sequence.textContent = day.sequence ?? '—';
    hash.replaceChildren(day.hash ? h('code', { title: day.hash }, `${day.hash.slice(0, 12)}…`) : 'en attente de synchronisation');
  };
  const meta = h('dl', { class: 'doc-meta' },
    h('div', {}, h('dt', {}, 'Clôturée'), h('dd', { testid: 'closed-at' }, at, ' par ', who)),
    h('div', {}, h('dt', {}, 'N° de séquence'), sequence),
    h('div', {}, h('dt', {}, 'Empreinte'), hash));
  fill();
  const fixes = corrections(model.flows);
  const fixList = fixes.length
    ? h('ul', { class: 'doc-fixes', testid: 'corrections' }, fixes.map(({ flow, original }) => h('li', {},
      h('strong', {}, flow.kind === 'void' ? 'Annulation' : 'Correction'), ' : ',
      original ? `${KIND_LABELS[original.kind] ?? original.kind} de ${amountText(original)}` : 'mouvement d’origine',
      flow.kind === 'void' ? '' : ` → ${amountText(flow)}`,
      flow.reason ? ` (motif : ${flow.reason})` : '')))
    : h('p', { class: 'hint' }, 'Aucune correction ni annulation.');
  const admin = ['admin', 'firm_admin'].includes(owner.company?.role);
  const reopen = admin ? reopenBox(dc, owner) : null;
  const el = h('section', { class: 'card closed-doc', testid: 'closed-doc', 'aria-label': 'Journée clôturée' },
    h('h2', {}, 'Journée clôturée'), meta, h('h3', {}, 'Corrections'), fixList, reopen);
  // Who closed: the day's events, from the server (the replica has the day, not its audit trail),
  // asked again once the closing reached the server (the day then has its hash).
  let askedFor;
  const loadWho = async () => {
    const key = model.stored?.hash ?? null;
    if (askedFor === key) return;
    askedFor = key;
    try {
      const full = await api.get(dayPath(owner.company.id, model.registerId, model.date));
      const closing = [...(full.events ?? [])].reverse().find((e) => e.kind === 'close');
      const me = await cachedMe();
      if (!closing) who.textContent = '—';
      else if (closing.user_id && closing.user_id === me?.user?.id) who.textContent = me.user.name ?? me.user.email ?? 'vous';
      else if (closing.user_name) who.textContent = closing.user_name;
      else who.textContent = closing.user_id ? 'un utilisateur qui n’est plus membre de la société' : 'le serveur';
      closedAt = closing?.at ?? null;
      fill();
    } catch {
      who.textContent = '— (hors ligne)';
      askedFor = undefined;
    }
  };
  loadWho();
  return {
    el,
    update() {
      fill();
      loadWho();
    },
    refresh() {},
  };
}

function reopenBox(dc, owner) {
  const { model } = dc;
  const reason = h('textarea', { rows: 2, maxlength: 500, testid: 'reopen-reason' });
  const error = h('p', { class: 'field-error', id: 'reopen-error', hidden: true, testid: 'reopen-error' });
  const confirm = h('button', { type: 'submit', class: 'button danger', testid: 'reopen-confirm' }, 'Rouvrir la journée');
  const form = h('form', { class: 'reopen', novalidate: true },
    field('Motif de la réouverture (obligatoire)', reason), error, confirm);
  reason.addEventListener('input', () => {
    error.hidden = true;
    reason.removeAttribute('aria-invalid');
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) {
      error.textContent = 'Indiquez le motif de la réouverture.';
      error.hidden = false;
      reason.setAttribute('aria-invalid', 'true');
      reason.setAttribute('aria-describedby', error.id);
      reason.focus();
      return;
    }
    confirm.disabled = true;
    try {
      await api.post(`${dayPath(owner.company.id, model.registerId, model.date)}/reopen`, { reason: reason.value.trim() });
      toast('Journée rouverte : la réouverture est tracée dans le journal.');
      dc.requestSync?.();
    } catch (e) {
      if (e?.name !== 'ApiError') showError(e, 'La réouverture a été refusée.');
      error.textContent = e?.status === 0 ? 'Une connexion à Internet est nécessaire pour rouvrir une journée.'
        : e?.message || 'La réouverture a été refusée.';
      error.hidden = false;
    } finally {
      confirm.disabled = false;
    }
  });
  return h('details', { class: 'reopen-box', testid: 'reopen' }, h('summary', {}, 'Rouvrir'), form);
}
