// « État de synthèse mensuelle »: figure cards with N-1 and budget, revenue per day against N-1, the
// payment-method mix, the table of the days (also the charts' figures), the files, and the cash journal of a period.
import { h, mount, section } from '../lib/dom.js';
import { api } from '../api.js';
import { formatDateFr } from '../lib/dates.js';
import { barChart, lineChart } from './charts.js';
import { apiQuery, monthLabel, percent } from './report-query.js';
import { dataTable, downloads, eur, figureCard, gapText, num, provisionalPill } from './report-ui.js';
import { journalForm } from './journal-form.js';

const COLUMNS = [
  { title: 'Date', cell: (r) => (r.date ? [formatDateFr(r.date), r.provisional ? [' ', provisionalPill()] : null] : 'Total') },
  { title: 'Fond de caisse', num: true, cell: (r) => eur(r.opening) },
  { title: 'Entrées', num: true, cell: (r) => eur(r.inflows) },
  { title: 'Sorties', num: true, cell: (r) => eur(r.outflows) },
  { title: 'Dépenses', num: true, cell: (r) => eur(r.expenses) },
  { title: 'Remises en banque', num: true, cell: (r) => eur(r.deposits) },
  { title: 'Solde théorique', num: true, cell: (r) => eur(r.expected) },
  { title: 'Solde réel', num: true, cell: (r) => eur(r.counted) },
  { title: 'Écart', num: true, cell: (r) => eur(r.difference) },
  { title: 'CA TTC', num: true, cell: (r) => eur(r.revenue_ttc) },
  { title: 'CA TTC N-1', num: true, cell: (r) => eur(r.n1_revenue_ttc) },
  { title: 'Ventes', num: true, cell: (r) => String(r.sales_count) },
  { title: 'Panier moyen', num: true, cell: (r) => eur(r.average_basket) },
];

export async function monthlyView(body, { company, state, onError }) {
  const base = `/api/companies/${company.id}/reports/monthly`;
  const query = apiQuery(state, { n1: state.n1 });
  const data = await api.get(`${base}?${query}`);
  const c = data.comparisons;
  const t = data.summary;
  const days = data.rows.filter((r) => r.days > 0);
  const n1Label = state.n1 === 'weekday' ? 'N-1 (mêmes jours de semaine)' : 'N-1 (mêmes dates)';
  const labels = data.rows.map((r) => r.date.slice(8));
  const mix = data.payment_mix;
  mount(body,
    h('h2', { testid: 'report-title' }, `Synthèse mensuelle — ${monthLabel(state.month)}`),
    data.provisional.length ? h('p', { class: 'notice', testid: 'report-provisional' },
      data.provisional.length === 1 ? 'Une journée est encore ouverte : ses chiffres sont provisoires.'
        : `${data.provisional.length} journées sont encore ouvertes : leurs chiffres sont provisoires.`) : null,
    h('div', { class: 'figure-cards' },
      figureCard('CA TTC', eur(t.revenue_ttc), `${n1Label} : ${gapText(c.revenue_vs_n1)}`, 'card-revenue'),
      figureCard('Budget du mois', eur(c.revenue_vs_budget.reference), state.register !== 'all'
        ? 'comparé à toutes les caisses seulement' : c.revenue_vs_budget.reference === null
          ? 'aucun budget saisi' : `écart ${gapText(c.revenue_vs_budget)}`, 'card-budget'),
      figureCard('Cumul de l’exercice', eur(c.cumulative_vs_n1.value), `N-1 : ${gapText(c.cumulative_vs_n1)}`),
      figureCard('Panier moyen', eur(t.average_basket), `N-1 : ${eur(c.average_basket_vs_n1.reference)} `
        + `(${percent(c.average_basket_vs_n1.pct_bp)})`, 'card-basket'),
      figureCard('Ventes', String(t.sales_count), `${t.days} ${t.days > 1 ? 'journées' : 'journée'}`),
      figureCard('Écarts de caisse', eur(t.difference), t.unexplained
        ? `${t.unexplained} sans commentaire` : 'tous expliqués')),
    section('CA TTC par jour', { testid: 'chart-section' },
      lineChart(`CA TTC par jour, ${monthLabel(state.month)}, et ${n1Label}`, labels, [
        { label: 'CA TTC', values: data.rows.map((r) => (r.days ? num(r.revenue_ttc) : null)) },
        { label: n1Label, dashed: true, values: data.rows.map((r) => num(r.n1_revenue_ttc) || null) },
      ], 'chart-revenue'),
      mix.length ? barChart('Répartition par moyen de paiement', mix.map((m) => m.label),
        [{ label: 'Encaissé', values: mix.map((m) => num(m.amount)) }], 'chart-mix', 'Moyen') : null,
      mix.length ? dataTable('Répartition par moyen de paiement', [
        { title: 'Moyen de paiement', cell: (m) => m.label }, { title: 'Montant', num: true, cell: (m) => eur(m.amount) },
      ], mix, { testid: 'mix-table' }) : null),
    section('État de synthèse mensuelle de l’activité de caisse', { testid: 'monthly-section' },
      days.length ? dataTable(`Journées de ${monthLabel(state.month)} (chiffres du graphique)`, COLUMNS, days,
        { footer: { ...t, date: null, n1_revenue_ttc: data.n1_totals.revenue_ttc }, testid: 'monthly-table' })
        : h('p', { testid: 'report-empty' }, 'Aucune journée saisie ce mois-ci.'),
      h('p', { class: 'hint' }, 'Total : fond de caisse du premier jour de chaque caisse, soldes de son dernier jour, '
        + 'flux et écarts additionnés.'),
      downloads({ pdf: `${base}.pdf?${query}`, csv: `${base}.csv?${query}`, xlsx: `${base}.xlsx?${query}` }, onError)),
    journalForm(company, state, onError));
}
