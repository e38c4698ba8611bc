// Alertes: the findings of the open days (ventilation, écarts, seuils mini/maxi…), days left
// open or missing, and the changes the server refused.
import { h, mount, section } from '../lib/dom.js';
import { getSelection, cachedMe, companyOf } from '../session.js';
import { loadView, openRejections } from '../store.js';
import { daySettings, evaluateFromView } from '../day/evaluate.js';
import { findingsList } from '../day/closing.js';
import { dayStatus, lastDates } from '../lib/calendar.js';
import { todayIso, formatDateFr, longDateFr } from '../lib/dates.js';
import { dayKey } from '../sync/rebase.js';
import { href } from '../router.js';

const MISSING_WINDOW_DAYS = 14;

function registerAlerts(view, companyId, register, today) {
  const s = daySettings(view, companyId, register.id);
  const items = [];
  const openDays = [...view.days.values()]
    .filter((d) => d.register_id === register.id && d.status !== 'closed')
    .sort((a, b) => a.date.localeCompare(b.date));
  for (const day of openDays) {
    const { evaluation } = evaluateFromView(view, s, register.id, day.date);
    const extra = day.date < today
      ? [{ kind: 'left_open', severity: 'warning', message_fr: `Journée du ${formatDateFr(day.date)} restée ouverte : pensez à la clôturer.` }]
      : [];
    const findings = [...extra, ...evaluation.findings];
    if (!findings.length && !evaluation.error) continue;
    items.push(h('li', { class: 'alert-day', testid: `alert-day-${day.date}` },
      h('h3', {}, h('a', { href: href.day(register.id, day.date) }, `${register.name} · ${longDateFr(day.date)}`)),
      evaluation.error ? h('p', { class: 'form-error' }, evaluation.error) : findingsList(findings, `alert-findings-${day.date}`)));
  }
  for (const date of lastDates(today, MISSING_WINDOW_DAYS).slice(1).reverse()) {
    if (dayStatus(view.days.get(dayKey(register.id, date)), s.calendar, date, today) !== 'missing') continue;
    items.push(h('li', { class: 'alert-day', testid: `alert-missing-${date}` },
      h('h3', {}, h('a', { href: href.day(register.id, date) }, `${register.name} · ${longDateFr(date)}`)),
      findingsList([{ kind: 'missing_day', severity: 'warning', message_fr: 'Jour d’ouverture sans saisie.' }], `alert-findings-${date}`)));
  }
  return items;
}

export async function renderAlerts(main, _params, ctx) {
  let disposed = false;
  async function draw() {
    const selection = await getSelection();
    const me = await cachedMe();
    const company = companyOf(me, selection.company_id);
    if (!company) {
      mount(main, h('h1', {}, 'Alertes'), h('p', {}, 'Aucune société sélectionnée.'));
      return;
    }
    const view = await loadView(company.id);
    const rejections = await openRejections(company.id);
    if (disposed) return;
    const today = todayIso();
    const items = (company.registers ?? []).flatMap((r) => registerAlerts(view, company.id, r, today));
    mount(main,
      h('h1', {}, 'Alertes'),
      section('Contrôles des journées', { testid: 'alerts-days' },
        items.length ? h('ul', { class: 'alert-list' }, items) : h('p', { class: 'ok', testid: 'alerts-none' }, 'Aucune alerte sur les journées.')),
      section('Modifications refusées par le serveur', { testid: 'alerts-rejections' },
        rejections.length
          ? h('div', {},
            h('ul', {}, rejections.map((r) => h('li', { testid: 'rejection-item' },
              `${formatDateFr(r.args?.date)} : ${r.message || r.code}`))),
            h('p', {}, h('a', { href: href.conflicts(), class: 'button' }, 'Traiter les conflits')))
          : h('p', { class: 'ok' }, 'Aucune modification refusée.')));
  }
  await draw();
  const stop = ctx.engine.onData((e) => e.changed && !disposed && draw());
  return () => {
    disposed = true;
    stop();
  };
}
