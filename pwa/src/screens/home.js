// Accueil: company and register, one tap to today's « saisie journalière », recent days, help.
import { h, mount, field, select, section } from '../lib/dom.js';
import { cachedMe, getSelection, setSelection, refreshMe, logout, companyOf } from '../session.js';
import { loadView } from '../store.js';
import { todayIso, longDateFr, formatDateFr } from '../lib/dates.js';
import { calendarOf, dayStatus, lastDates, STATUS_LABELS } from '../lib/calendar.js';
import * as settings from '../lib/settings.js';
import { daysOfRegister } from '../sync/rebase.js';
import { href, go } from '../router.js';
import { installHelp, isIos, isStandalone } from '../components/install-help.js';
import { getMeta, setMeta } from '../db.js';
import { firmContact } from './help.js';
import { toast } from '../components/toast.js';
import { pendingText } from '../sync/status.js';

function chooser(me, selection, onChange) {
  const companies = me?.companies ?? [];
  const company = companyOf(me, selection.company_id);
  const companySelect = select(companies.map((c) => ({ value: c.id, label: c.name })), selection.company_id, { testid: 'company-select' });
  const registers = company?.registers ?? [];
  const registerSelect = select(registers.map((r) => ({ value: r.id, label: r.name })), selection.register_id, { testid: 'register-select' });
  companySelect.addEventListener('change', () => {
    const next = companyOf(me, Number(companySelect.value));
    onChange(next.id, next.registers?.[0]?.id ?? null);
  });
  registerSelect.addEventListener('change', () => onChange(selection.company_id, Number(registerSelect.value)));
  return h('div', { class: 'grid-2' },
    companies.length > 1 ? field('Société', companySelect) : h('p', { class: 'field' }, h('strong', {}, 'Société : '), company?.name ?? '—'),
    field('Caisse', registerSelect),
  );
}

function recentDays(view, selection, today) {
  const companyRow = settings.company(view, selection.company_id);
  const calendar = calendarOf(companyRow, settings.calendarRows(view), settings.register(view, selection.register_id));
  const days = new Map(daysOfRegister(view, selection.register_id).map((d) => [d.date, d]));
  const items = lastDates(today, 7).map((date) => {
    const status = dayStatus(days.get(date), calendar, date, today);
    return h('li', { class: `day-row status-${status}`, testid: `day-row-${date}` },
      h('a', { href: href.day(selection.register_id, date) },
        h('span', { class: 'day-date' }, longDateFr(date)),
        h('span', { class: `pill pill-${status}` }, STATUS_LABELS[status])));
  });
  return h('ul', { class: 'day-list', testid: 'recent-days' }, items);
}

export async function renderHome(main, _params, ctx) {
  let disposed = false;
  async function draw() {
    const me = await cachedMe();
    const selection = await getSelection();
    const view = selection.company_id != null ? await loadView(selection.company_id) : null;
    if (disposed) return;
    const today = todayIso();
    const ready = selection.register_id != null;
    const open = h('a', {
      class: `button primary huge ${ready ? '' : 'disabled'}`,
      href: ready ? href.day(selection.register_id, today) : '#/',
      'aria-disabled': ready ? null : 'true',
      testid: 'open-today',
    }, h('span', {}, 'Saisie journalière'), h('small', {}, `${longDateFr(today)} · ${formatDateFr(today)}`));
    const showIos = isIos() && !isStandalone() && !(await getMeta('ios-install-dismissed'));
    mount(main,
      h('h1', {}, me?.user?.name ? `Bonjour ${me.user.name}` : 'Accueil'),
      !me?.companies?.length ? h('p', { class: 'notice' }, 'Aucune société n’est encore rattachée à votre compte : contactez votre cabinet.') : null,
      section('Ma caisse', {}, chooser(me, selection, async (cid, rid) => {
        await setSelection(cid, rid);
        ctx.engine.request('selection');
        draw();
      })),
      open,
      view && !view.hasReplica ? h('p', { class: 'notice', testid: 'first-sync' }, navigator.onLine
        ? 'Téléchargement des réglages de la société…'
        : 'Les réglages de la société n’ont pas encore été téléchargés : connectez-vous à Internet une première fois.') : null,
      view && ready ? section('Derniers jours', { testid: 'recent' }, recentDays(view, selection, today),
        h('p', {}, h('a', { href: href.history() }, 'Voir tout l’historique'))) : null,
      showIos ? installHelp({ dismissible: true, onDismiss: () => setMeta('ios-install-dismissed', true) }) : null,
      section('Aide', { testid: 'help-section' }, firmContact(me?.firm),
        h('p', {}, h('a', { href: href.help() }, 'Aide et installation sur l’écran d’accueil'))),
      h('p', { class: 'center' }, h('button', {
        type: 'button',
        class: 'button',
        testid: 'logout',
        onclick: async () => {
          const pending = ctx.engine.status().pending;
          await logout();
          if (pending) toast(`${pendingText(pending)} : elles restent sur cet appareil et partiront à la prochaine connexion.`);
          go(href.login());
        },
      }, 'Se déconnecter')),
    );
  }
  await draw();
  if (navigator.onLine) refreshMe().then(() => !disposed && draw()).catch(() => {});
  const stop = ctx.engine.onData((e) => e.changed && !disposed && draw());
  return () => {
    disposed = true;
    stop();
  };
}
