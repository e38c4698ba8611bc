// Conflits: each change the server refused, mine beside the server's value, and two choices:
// « Ressaisir sur une journée ouverte » (a fresh mutation on the current revision) or « Abandonner ».
import { h, mount } from '../lib/dom.js';
import { getSelection, cachedMe, companyOf } from '../session.js';
import { loadView, openRejections, decidedRejections } from '../store.js';
import { db } from '../db.js';
import { enqueue } from '../sync/outbox.js';
import { retype } from '../sync/mutations.js';
import { dayKey } from '../sync/rebase.js';
import { money, fromWire } from '../cash.js';
import { formatDateFr, todayIso } from '../lib/dates.js';
import { methodLabel, categoryLabel } from '../lib/settings.js';
import { KIND_LABELS } from '../day/flow-specs.js';
import { toast, showError } from '../components/toast.js';

export const FIELD_LABELS = {
  z_number: 'N° de ticket Z', sales_count: 'Nombre de ventes', sales: 'Ventes par classification', payments: 'Ventilation',
  opening: 'Fond de caisse', counts: 'Solde réel compté', comment: 'Commentaire',
};
export const NAMES = { 'day.put': 'Modification de la journée', 'flow.add': 'Mouvement', 'day.close': 'Clôture', 'day.reopen': 'Réouverture' };

function amount(value) {
  try {
    return money(fromWire(value));
  } catch {
    return String(value ?? '—');
  }
}

const OUTCOMES = { mine: 'l’administrateur a gardé votre saisie', server: 'l’administrateur a gardé la valeur du serveur' };

export function describeField(view, field, value) {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) {
    if (!value.length) return '—';
    return value.map((l) => `${l.category_id != null ? categoryLabel(view, l.category_id) : methodLabel(view, l.method_id)} : ${amount(l.amount)}`).join(' ; ');
  }
  return String(value);
}

function sameAmount(a, b) {
  try {
    return fromWire(a) === fromWire(b);
  } catch {
    return String(a) === String(b);
  }
}

/**
 * Lines of a list field (ventes, ventilation, fond de caisse, comptage) that differ between my
 * value and the server's, as [label, mine, theirs], in the settings order (the Z order).
 */
export function differingLines(view, mine, theirs) {
  const ref = [...(mine ?? []), ...(theirs ?? [])].some((l) => l?.category_id != null) ? 'category_id' : 'method_id';
  const mapOf = (list) => new Map((list ?? []).map((l) => [String(l[ref]), l.amount]));
  const a = mapOf(mine);
  const b = mapOf(theirs);
  const order = ref === 'category_id' ? [...(view.entities?.category?.values?.() ?? [])] : [...(view.entities?.payment_method?.values?.() ?? [])];
  const position = new Map(order.map((x, i) => [String(x.id), x.position ?? i]));
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (position.get(x) ?? 1e9) - (position.get(y) ?? 1e9) || Number(x) - Number(y));
  const label = (id) => (ref === 'category_id' ? categoryLabel(view, Number(id)) : methodLabel(view, Number(id)));
  return ids.filter((id) => !(a.has(id) && b.has(id) && sameAmount(a.get(id), b.get(id))))
    .map((id) => [label(id), a.has(id) ? amount(a.get(id)) : '—', b.has(id) ? amount(b.get(id)) : '—']);
}

function describeFlow(view, flow) {
  if (!flow) return '—';
  const parts = [KIND_LABELS[flow.kind] ?? flow.kind, amount(flow.amount)];
  if (flow.method_id != null) parts.push(methodLabel(view, flow.method_id));
  if (flow.label || flow.reason) parts.push(flow.label || flow.reason);
  return parts.join(' · ');
}

/**
 * The server's side of a rejection. The day's rejections carry `{status, revision, fields: {…header…},
 * conflicts?}`; a reused flow id `{register_id, date, flow}`; a refused input `{errors}`.
 */
export function serverSide(r) {
  const value = r.server_value && typeof r.server_value === 'object' ? r.server_value : {};
  const fields = value.fields && typeof value.fields === 'object' ? value.fields : value;
  return { fields, flow: value.flow ?? null, closed: value.status === 'closed' };
}

function comparison(view, r) {
  const rows = [];
  const server = serverSide(r);
  const closedText = server.closed ? 'Journée clôturée' : null;
  if (r.name === 'day.put') {
    for (const [field, mine] of Object.entries(r.args?.fields ?? {})) {
      if (closedText && server.fields[field] === undefined) {
        rows.push([FIELD_LABELS[field] ?? field, describeField(view, field, mine), closedText]);
      } else if (Array.isArray(mine) || Array.isArray(server.fields[field])) {
        for (const line of differingLines(view, mine, server.fields[field])) rows.push([`${FIELD_LABELS[field] ?? field} · ${line[0]}`, line[1], line[2]]);
      } else if (String(mine ?? '') !== String(server.fields[field] ?? '')) {
        rows.push([FIELD_LABELS[field] ?? field, describeField(view, field, mine), describeField(view, field, server.fields[field])]);
      }
    }
    if (!rows.length) rows.push(['Journée', 'Votre modification', 'Déjà modifiée sur le serveur']);
  } else if (r.name === 'flow.add') {
    rows.push(['Mouvement', describeFlow(view, r.args?.flow), server.flow ? describeFlow(view, server.flow) : closedText ?? '—']);
  } else {
    rows.push(['Action', NAMES[r.name] ?? r.name, typeof r.server_value === 'string' ? r.server_value : closedText ?? '—']);
  }
  return h('table', { class: 'compare' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Champ'), h('th', { scope: 'col' }, 'Votre saisie'), h('th', { scope: 'col' }, 'Valeur du serveur'))),
    h('tbody', {}, rows.map(([label, mine, theirs]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, mine), h('td', {}, theirs)))));
}

/** Where a re-typed change goes: its own day if still open; a movement moves to today otherwise. */
export function retypeTarget(view, r, today) {
  const day = view.days.get(dayKey(r.args?.register_id, r.args?.date));
  if (!day || day.status !== 'closed') return { date: r.args.date, baseRevision: day && !day.local ? day.revision : 0 };
  if (r.name !== 'flow.add') return null;
  const todayDay = view.days.get(dayKey(r.args.register_id, today));
  if (todayDay?.status === 'closed') return null;
  return { date: today, baseRevision: todayDay && !todayDay.local ? todayDay.revision : 0 };
}

export async function renderConflicts(main, _params, ctx) {
  let disposed = false;
  async function draw() {
    const selection = await getSelection();
    const company = companyOf(await cachedMe(), selection.company_id);
    if (!company) return mount(main, h('h1', {}, 'Conflits'), h('p', {}, 'Aucune société sélectionnée.'));
    const view = await loadView(company.id);
    const list = await openRejections(company.id);
    const decided = await decidedRejections(company.id);
    if (disposed) return;
    ctx.layout?.setConflictCount(list.length);
    const today = todayIso();
    const decide = async (r, choice, target) => {
      try {
        if (choice === 'retype') {
          const mutation = retype(r, target);
          await enqueue(company.id, mutation, { alsoWrite: () => db.conflicts.update([company.id, r.device_id, r.mutation_id], { local: 'retyped' }) });
          toast(target.date === r.args.date ? 'Saisie renvoyée.' : `Saisie reportée sur la journée du ${formatDateFr(target.date)}.`);
        } else {
          await db.conflicts.update([company.id, r.device_id, r.mutation_id], { local: 'abandoned' });
          toast('Modification abandonnée.');
        }
        draw();
      } catch (error) {
        showError(error);
      }
    };
    const items = list.map((r) => {
      const target = retypeTarget(view, r, today);
      return h('li', { class: 'card conflict', testid: 'conflict-item', 'data-mutation-id': String(r.mutation_id) },
        h('h2', {}, `${NAMES[r.name] ?? r.name} du ${formatDateFr(r.args?.date)}`),
        h('p', { class: 'form-error' }, r.message || 'Modification refusée par le serveur.'),
        comparison(view, r),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button primary', testid: 'conflict-retype', disabled: !target, onclick: () => decide(r, 'retype', target) },
            'Ressaisir sur une journée ouverte'),
          h('button', { type: 'button', class: 'button', testid: 'conflict-abandon', onclick: () => decide(r, 'abandon') }, 'Abandonner')),
        target ? null : h('p', { class: 'hint' }, 'La journée est clôturée : demandez une réouverture à votre cabinet, ou abandonnez.'));
    });
    mount(main, h('h1', {}, 'Conflits'),
      items.length ? h('ul', { class: 'conflicts', testid: 'conflict-list' }, items)
        : h('p', { class: 'ok', testid: 'conflicts-none' }, 'Aucun conflit : toutes vos saisies ont été acceptées.'),
      decided.length ? h('section', { class: 'card', 'aria-labelledby': 'decided-title' },
        h('h2', { id: 'decided-title' }, 'Décisions de l’administrateur'),
        h('ul', { class: 'day-list', testid: 'conflicts-decided' }, decided.map((r) => h('li', { class: 'flow', testid: 'conflict-decided' },
          h('span', { class: 'flow-text' }, `${NAMES[r.name] ?? r.name} du ${formatDateFr(r.args?.date)} : ${OUTCOMES[r.resolution] ?? r.resolution}.`))))) : null);
  }
  await draw();
  const stop = ctx.engine.onData((e) => e.changed && !disposed && draw());
  return () => {
    disposed = true;
    stop();
  };
}
