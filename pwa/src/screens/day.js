// « Saisie journalière » of one register and date, in the ticket Z's order: Z, ventes par
// Classification, nombre de ventes, Ventilation, the enabled movement sections, solde
// théorique / solde réel / écart, commentaire and closing. Saved to IndexedDB as typed.
import { h, mount } from '../lib/dom.js';
import { DayModel } from '../day/model.js';
import { daySettings, evaluateFromView } from '../day/evaluate.js';
import { salesSection } from '../day/sales.js';
import { paymentsSection } from '../day/payments.js';
import { flowSections } from '../day/flows.js';
import { countsSection } from '../day/counts.js';
import { closingSection } from '../day/closing.js';
import { summaryBar } from '../day/summary.js';
import { closedDocument } from '../day/closed-doc.js';
import { printHeader } from '../day/print.js';
import { isOpeningDay, STATUS_LABELS } from '../lib/calendar.js';
import { longDateFr, addDays, todayIso } from '../lib/dates.js';
import { cachedMe, getSelection, setSelection } from '../session.js';
import { href } from '../router.js';
import { showError } from '../components/toast.js';

/** The company owning a register, from /api/me (a link may point to another company's till). */
async function companyForRegister(registerId) {
  const me = await cachedMe();
  const selection = await getSelection();
  const owner = (me?.companies ?? []).find((c) => (c.registers ?? []).some((r) => r.id === registerId));
  if (owner && owner.id !== selection.company_id) await setSelection(owner.id, registerId);
  else if (owner && selection.register_id !== registerId) await setSelection(owner.id, registerId);
  return owner ? { company: owner, register: owner.registers.find((r) => r.id === registerId) } : null;
}

function dayContext(model, registerId) {
  // Z fields received from the till stay read-only until an admin unlocks them (issue 15).
  const till = model.stored?.till ?? null;
  return { model, view: () => model.view, ...daySettings(model.view, model.companyId, registerId), readOnly: model.closed,
    zLocked: model.closed || Boolean(till?.locked), till };
}

function evaluate(dc) {
  const { model } = dc;
  return evaluateFromView(model.view, dc, model.registerId, model.date, model.header);
}

function settingsKey(dc) {
  const pick = (list, keys) => list.map((x) => keys.map((k) => x[k]).join(':')).join('|');
  return [pick(dc.categories, ['id', 'label', 'vat_bp']), pick(dc.methods, ['id', 'label', 'kind', 'deposit_mode']),
    pick(dc.suppliers, ['id', 'name']), pick(dc.customers, ['id', 'name']), JSON.stringify(dc.company ?? {})].join('#');
}

function dayStatusOf(model) {
  return model.closed ? 'closed' : model.stored || Object.keys(model.draft).length ? 'open' : 'today';
}

function statusPill(model) {
  const status = dayStatusOf(model);
  return h('span', { class: `pill pill-${status}`, testid: 'day-status' }, STATUS_LABELS[status]);
}

function heading(model, owner, dc) {
  return h('header', { class: 'day-head' },
    h('h1', {}, 'Saisie journalière'),
    h('p', { class: 'lead' }, `${owner.register?.name ?? 'Caisse'} · ${longDateFr(model.date)} `, statusPill(model)),
    isOpeningDay(dc.calendar, model.date) ? null
      : h('p', { class: 'notice' }, 'Ce jour n’est pas un jour d’ouverture du calendrier.'),
    h('nav', { class: 'day-nav', 'aria-label': 'Autres journées' },
      h('a', { href: href.day(model.registerId, addDays(model.date, -1)), testid: 'prev-day' }, '← Jour précédent'),
      model.date === todayIso() ? null : h('a', { href: href.day(model.registerId, todayIso()) }, 'Aujourd’hui'),
      h('a', { href: href.day(model.registerId, addDays(model.date, 1)), testid: 'next-day' }, 'Jour suivant →')));
}

export async function renderDay(main, params, ctx) {
  const owner = await companyForRegister(params.registerId);
  if (!owner) {
    mount(main, h('h1', {}, 'Caisse inconnue'), h('p', {}, 'Cette caisse n’est pas accessible avec votre compte.'),
      h('a', { href: href.home() }, 'Retour à l’accueil'));
    return null;
  }
  const model = await new DayModel(owner.company.id, params.registerId, params.date).load();
  let sections = [];
  let built = null; // readOnly state and settings the form was built for
  let refusedBox = null;

  /** The figures the rules refused: each message, and its field marked when it can be found. */
  function showRefused() {
    if (!refusedBox) return;
    for (const el of main.querySelectorAll('[data-refused]')) {
      el.removeAttribute('data-refused');
      el.removeAttribute('aria-invalid');
    }
    const errors = model.refused ?? {};
    const messages = Object.entries(errors).map(([name, list]) => {
      const key = name.split('.')[0].replace(/_/g, '-');
      const target = main.querySelector(`[data-testid="${key}"]`);
      if (target) {
        target.dataset.refused = 'true';
        target.setAttribute('aria-invalid', 'true');
      }
      return [list].flat().join(' ');
    });
    refusedBox.hidden = messages.length === 0;
    refusedBox.replaceChildren(...(messages.length ? [h('p', {}, 'Saisie non enregistrée :'), h('ul', {}, messages.map((m) => h('li', {}, m)))] : []));
  }

  function build() {
    const dc = dayContext(model, params.registerId);
    model.invalid = {}; // the fields are built again from the day: none shows an error
    if (!model.view.hasReplica) {
      mount(main, heading(model, owner, dc), h('p', { class: 'notice', testid: 'first-sync' },
        'Les réglages de la société ne sont pas encore téléchargés : connectez-vous à Internet une première fois.'));
      built = null;
      return;
    }
    dc.requestSync = () => ctx.engine.request('reopen');
    dc.admin = ['admin', 'firm_admin'].includes(owner.company?.role);
    dc.companyId = owner.company.id;
    const summary = summaryBar(dc);
    const doc = dc.readOnly ? closedDocument(dc, owner) : null;
    sections = [salesSection(dc), paymentsSection(dc), flowSections(dc), countsSection(dc), closingSection(dc), summary];
    if (doc) sections.push(doc);
    refusedBox = h('div', { class: 'form-error refused', role: 'alert', testid: 'day-refused', hidden: true });
    mount(main, printHeader(dc, owner), heading(model, owner, dc), summary.el, refusedBox, doc?.el, h('div', { class: `day-form${dc.readOnly ? ' is-closed' : ''}` },
      h('div', { class: 'col-main' }, sections.slice(0, 3).map((s) => s.el)),
      h('div', { class: 'col-side' }, sections.slice(3, 5).map((s) => s.el))),
      h('p', { class: 'print-only signature' }, 'Signature du responsable : ________________________________'));
    built = { readOnly: dc.readOnly, zLocked: dc.zLocked, dc, key: settingsKey(dc) };
    update();
  }

  /** Settings changed on the server (a new Classification…): rebuild, unless the cashier is typing. */
  function settingsChanged() {
    const active = document.activeElement;
    if (!built || (main.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName))) return false;
    return settingsKey(dayContext(model, params.registerId)) !== built.key;
  }

  function update() {
    if (!built) return;
    const state = evaluate(built.dc);
    main.querySelector('[data-testid=day-status]')?.replaceWith(statusPill(model));
    main.querySelector('[data-testid=print-head]')?.replaceWith(printHeader(built.dc, owner));
    for (const s of sections) {
      s.update(state);
      s.refresh(state.header);
    }
  }

  build();
  const stopModel = model.onChange((reason) => {
    if (reason === 'invalid' || reason === 'valid') return showRefused();
    // Closing or a first download changes the layout; typing only the figures.
    const relock = built && built.zLocked !== dayContext(model, params.registerId).zLocked;
    if (!built || (reason !== 'edit' && (built.readOnly !== model.closed || relock || settingsChanged()))) build();
    else update();
  });
  const stopData = ctx.engine.onData((e) => e.changed && model.reload().catch((error) => showError(error)));
  const onHide = () => document.visibilityState === 'hidden' && model.save();
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', onHide);
  return async () => {
    stopModel();
    stopData();
    document.removeEventListener('visibilitychange', onHide);
    window.removeEventListener('pagehide', onHide);
    await model.dispose();
  };
}
