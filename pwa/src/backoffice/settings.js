// « Réglages »: one tab per settings section of the selected company (#/reglages/<section>).
import { h } from '../lib/dom.js';
import { href } from '../router.js';
import { header } from './context.js';
import { staleNotice } from './offline.js';
import { companyForm } from './settings-company.js';
import { registersSection, methodsSection, customersSection, suppliersSection } from './settings-lists.js';
import { categoriesSection } from './settings-categories.js';
import { calendarSection } from './settings-calendar.js';
import { budgetSection } from './settings-budget.js';

const SECTIONS = [
  ['societe', 'Société', companyForm],
  ['caisses', 'Caisses', registersSection],
  ['calendrier', 'Calendrier', calendarSection],
  ['categories', 'Catégories de vente', categoriesSection],
  ['paiements', 'Moyens de paiement', methodsSection],
  ['clients', 'Clients', customersSection],
  ['fournisseurs', 'Fournisseurs', suppliersSection],
  ['budget', 'Budget', budgetSection],
];

export async function render(main, params) {
  const current = SECTIONS.find(([key]) => key === params.section) ?? SECTIONS[0];
  const tabs = h('nav', { class: 'bo-tabs', 'aria-label': 'Sections des réglages' },
    h('ul', {}, SECTIONS.map(([key, label]) => h('li', {},
      h('a', { href: href.settings(key), testid: `tab-${key}`, 'aria-current': key === current[0] ? 'page' : null }, label)))));
  const found = await header(main, 'Réglages', tabs, staleNotice());
  if (!found) return;
  const body = h('section', { class: 'card', 'aria-labelledby': 'section-title', testid: `settings-${current[0]}` },
    h('h2', { id: 'section-title' }, current[1]));
  main.append(body);
  await current[2](body, found.company);
}
