// The daily synthesis, the fiscal year with its comparisons, and the customer-credit and gift-voucher summaries.
import { h, mount, section } from '../lib/dom.js';
import { api } from '../api.js';
import { formatDateFr } from '../lib/dates.js';
import { barChart } from './charts.js';
import { apiQuery, fiscalYearOf, monthLabel, MONTHS_SHORT, percent } from './report-query.js';
import { dataTable, eur, figureCard, gapText, num, provisionalPill } from './report-ui.js';

const rate = (bp) => `${String(bp / 100).replace('.', ',')}\u00a0%`;

function registerDay(block) {
  return section(block.register.name, { level: 3, testid: 'daily-register' },
    block.provisional ? h('p', {}, provisionalPill(), ' journée encore ouverte') : null,
    h('div', { class: 'figure-cards' },
      figureCard('CA TTC', eur(block.figures.revenue_ttc), `HT ${eur(block.figures.revenue_ht)}`),
      figureCard('Ventes', String(block.figures.sales_count), `panier moyen ${eur(block.figures.average_basket)}`),
      figureCard('Écart espèces', eur(block.figures.difference), block.comment || null)),
    dataTable('Soldes par moyen de paiement à dépôt manuel', [
      { title: 'Moyen', cell: (d) => d.label }, { title: 'Fond de caisse', num: true, cell: (d) => eur(d.opening) },
      { title: 'Solde théorique', num: true, cell: (d) => eur(d.expected) },
      { title: 'Solde réel', num: true, cell: (d) => eur(d.counted) },
      { title: 'Écart', num: true, cell: (d) => eur(d.difference) }], block.drawers),
    dataTable('CA par nature de vente', [
      { title: 'Nature', cell: (c) => c.label }, { title: 'TVA', num: true, cell: (c) => rate(c.vat_bp) },
      { title: 'TTC', num: true, cell: (c) => eur(c.ttc) }, { title: 'HT', num: true, cell: (c) => eur(c.ht) }],
    block.categories),
    dataTable('Encaissements par moyen de paiement', [
      { title: 'Moyen', cell: (m) => m.label }, { title: 'Montant', num: true, cell: (m) => eur(m.amount) }],
    block.payment_methods));
}

export async function dailyView(body, { company, state }) {
  const q = new URLSearchParams({ date: state.date });
  if (state.register !== 'all') q.set('register', String(state.register));
  const data = await api.get(`/api/companies/${company.id}/reports/daily?${q}`);
  mount(body, h('h2', { testid: 'report-title' }, `Synthèse du ${formatDateFr(state.date)}`),
    data.registers.length ? [
      h('div', { class: 'figure-cards' },
        figureCard('CA TTC', eur(data.totals.revenue_ttc), `HT ${eur(data.totals.revenue_ht)}`, 'daily-revenue'),
        figureCard('Ventes', String(data.totals.sales_count), `panier moyen ${eur(data.totals.average_basket)}`)),
      dataTable('CA par taux de TVA', [
        { title: 'Taux', cell: (v) => rate(v.vat_bp) }, { title: 'TTC', num: true, cell: (v) => eur(v.ttc) },
        { title: 'HT', num: true, cell: (v) => eur(v.ht) }, { title: 'TVA', num: true, cell: (v) => eur(v.vat) }],
      data.vat_lines),
      data.registers.map(registerDay),
    ] : h('p', { testid: 'report-empty' }, 'Aucune journée saisie à cette date.'));
}

export async function yearView(body, { company, state, settings }) {
  const start = settings?.fiscal_year_start_month ?? 1;
  const year = state.year ?? fiscalYearOf(state.month, start);
  const q = new URLSearchParams({ year: String(year) });
  if (state.register !== 'all') q.set('register', String(state.register));
  const data = await api.get(`/api/companies/${company.id}/reports/fiscal-year?${q}`);
  const labels = data.months.map((m) => `${MONTHS_SHORT[m.month - 1]} ${String(m.year).slice(2)}`);
  const c = data.comparisons;
  mount(body,
    h('h2', { testid: 'report-title' }, `Exercice du ${formatDateFr(data.start)} au ${formatDateFr(data.end)}`),
    state.register !== 'all' ? h('p', { class: 'hint' }, 'Le budget est celui de la société : il n’est comparé qu’à toutes les caisses.') : null,
    h('div', { class: 'figure-cards' },
      figureCard('CA TTC de l’exercice', eur(data.totals.revenue_ttc), `N-1 : ${gapText(c.revenue_vs_n1)}`, 'year-revenue'),
      figureCard('Budget', eur(c.revenue_vs_budget.reference), c.revenue_vs_budget.reference === null ? 'aucun budget saisi'
        : `écart ${gapText(c.revenue_vs_budget)}`),
      figureCard('Panier moyen', eur(data.totals.average_basket), `N-1 : ${eur(c.average_basket_vs_n1.reference)} `
        + `(${percent(c.average_basket_vs_n1.pct_bp)})`)),
    section('CA mensuel, N-1 et budget', { testid: 'year-section' },
      barChart('CA TTC mensuel face au budget', labels, [
        { label: 'CA TTC', values: data.months.map((m) => num(m.revenue_ttc)) },
        { label: 'Budget', values: data.months.map((m) => num(m.budget)) }], 'chart-year'),
      dataTable('Mois de l’exercice (chiffres du graphique)', [
        { title: 'Mois', cell: (m) => (m.month ? monthLabel(`${m.year}-${String(m.month).padStart(2, '0')}`) : 'Total') },
        { title: 'CA TTC', num: true, cell: (m) => eur(m.revenue_ttc) },
        { title: 'Cumul', num: true, cell: (m) => eur(m.cumulative_revenue_ttc) },
        { title: 'CA N-1', num: true, cell: (m) => eur(m.n1_revenue_ttc) },
        { title: 'Écart N-1', num: true, cell: (m) => percent(m.revenue_vs_n1?.pct_bp) },
        { title: 'Budget', num: true, cell: (m) => eur(m.budget) },
        { title: 'Écart budget', num: true, cell: (m) => percent(m.revenue_vs_budget?.pct_bp) },
        { title: 'Panier moyen', num: true, cell: (m) => eur(m.average_basket) },
        { title: 'Panier N-1', num: true, cell: (m) => eur(m.n1_average_basket) }], data.months,
      { footer: { ...data.totals, cumulative_revenue_ttc: data.totals.revenue_ttc, n1_revenue_ttc: data.n1_totals.revenue_ttc,
        revenue_vs_n1: c.revenue_vs_n1, budget: c.revenue_vs_budget.reference, revenue_vs_budget: c.revenue_vs_budget,
        n1_average_basket: data.n1_totals.average_basket }, testid: 'year-table' })));
}

export async function ledgerView(body, { company, state }) {
  const q = apiQuery({ ...state, register: 'all' });
  const [credit, vouchers] = await Promise.all([
    api.get(`/api/companies/${company.id}/reports/credits?${q}`),
    api.get(`/api/companies/${company.id}/reports/vouchers?${q}`)]);
  const [first, last] = [credit.start, credit.end];
  mount(body, h('h2', { testid: 'report-title' }, `Crédits clients et bons cadeaux — ${monthLabel(state.month)}`),
    section('Crédit client', { testid: 'credit-section' },
      h('div', { class: 'figure-cards' },
        figureCard('Accordé dans le mois', eur(credit.granted)), figureCard('Réglé dans le mois', eur(credit.settled)),
        figureCard(`Encours au ${formatDateFr(last)}`, eur(credit.balance), null, 'credit-balance')),
      credit.mode === 'detailed' ? dataTable(`Encours par client au ${formatDateFr(last)}`, [
        { title: 'Client', cell: (c) => c.name }, { title: 'Accordé', num: true, cell: (c) => eur(c.granted) },
        { title: 'Réglé', num: true, cell: (c) => eur(c.settled) }, { title: 'Solde', num: true, cell: (c) => eur(c.balance) },
        { title: 'Plus ancien impayé', cell: (c) => (c.oldest_unpaid ? formatDateFr(c.oldest_unpaid) : '—') },
        { title: 'Âge', num: true, cell: (c) => (c.age_days === null ? '—' : `${c.age_days} ${c.age_days > 1 ? 'jours' : 'jour'}`) }],
      credit.customers, { testid: 'credit-table' })
        : dataTable(`Solde cumulé jour par jour, du ${formatDateFr(first)} au ${formatDateFr(last)}`, [
          { title: 'Date', cell: (d) => formatDateFr(d.date) }, { title: 'Accordé', num: true, cell: (d) => eur(d.granted) },
          { title: 'Réglé', num: true, cell: (d) => eur(d.settled) }, { title: 'Solde', num: true, cell: (d) => eur(d.balance) }],
        credit.days, { testid: 'credit-table' })),
    section('Bons cadeaux', { testid: 'voucher-section' },
      h('div', { class: 'figure-cards' },
        figureCard('Vendus', eur(vouchers.sold)), figureCard('Utilisés', eur(vouchers.redeemed)),
        figureCard('Expirés', eur(vouchers.expired)),
        figureCard(`En circulation au ${formatDateFr(last)}`, eur(vouchers.outstanding), null, 'voucher-outstanding')),
      vouchers.codes.length ? dataTable('Bons cadeaux par code', [
        { title: 'Code', cell: (v) => v.code }, { title: 'Vendu le', cell: (v) => (v.sold_on ? formatDateFr(v.sold_on) : '—') },
        { title: 'Vendu', num: true, cell: (v) => eur(v.sold) }, { title: 'Utilisé', num: true, cell: (v) => eur(v.redeemed) },
        { title: 'Expiré', num: true, cell: (v) => eur(v.expired) },
        { title: 'Reste', num: true, cell: (v) => eur(v.outstanding) }], vouchers.codes, { testid: 'voucher-table' }) : null));
}
