// « Journal de caisse »: a period (Du / Au, a year at most) and its files (PDF, CSV, XLSX), for the register chosen
// above. A bad range is refused on its field before asking, and the server's 422 lands on the same fields.
import { h, field, fieldError, section } from '../lib/dom.js';
import { download } from '../screens/export.js';
import { journalRangeErrors, monthRange } from './report-query.js';

const FORMATS = ['pdf', 'csv', 'xlsx'];

function dateField(label, name, value) {
  const input = h('input', { type: 'date', value, name, testid: `journal-${name}`, min: '2000-01-01', max: '2100-12-31' });
  const wrapper = field(label, input);
  const setError = fieldError(wrapper, input, { testid: `journal-${name}-error` });
  return { input, wrapper, setError };
}

/** The journal section: `state` gives the default period (its month) and the register. */
export function journalForm(company, state, onError) {
  const range = monthRange(state.month);
  const fields = { from: dateField('Du', 'from', range.from), to: dateField('Au', 'to', range.to) };
  const formError = h('p', { class: 'form-error', role: 'alert', testid: 'journal-error', hidden: true });
  const clear = () => {
    for (const f of Object.values(fields)) f.setError(null);
    formError.hidden = true;
  };
  const show = (errors) => {
    let first = null;
    for (const [name, messages] of Object.entries(errors)) {
      const target = fields[name];
      if (target) {
        target.setError([messages].flat().join(' '));
        first = first ?? target.input;
      } else {
        formError.textContent = [messages].flat().join(' ');
        formError.hidden = false;
      }
    }
    first?.focus();
  };
  for (const f of Object.values(fields)) f.input.addEventListener('input', clear);
  const fetchFile = async (format) => {
    clear();
    const from = fields.from.input.value;
    const to = fields.to.input.value;
    const invalid = journalRangeErrors(from, to);
    if (invalid) return show(invalid);
    const q = new URLSearchParams({ from, to });
    if (state.register !== 'all') q.set('register', String(state.register));
    try {
      await download(`/api/companies/${company.id}/reports/journal.${format}?${q}`);
    } catch (error) {
      if (error?.errors && Object.keys(error.errors).length) show(error.errors);
      else onError(error);
    }
    return null;
  };
  return section('Journal de caisse', { testid: 'journal-section' },
    h('p', { class: 'hint' }, 'Chaque journée de la période (les journées encore ouvertes marquées « provisoire »), '
      + 'ses mouvements et les totaux, pour la caisse choisie ci-dessus. Une année au plus.'),
    h('form', { class: 'report-controls', novalidate: true, testid: 'journal-form', 'aria-label': 'Période du journal de caisse',
      onsubmit: (e) => { e.preventDefault(); fetchFile('pdf'); } },
    fields.from.wrapper, fields.to.wrapper),
    formError,
    h('div', { class: 'actions report-downloads' }, h('span', {}, 'Télécharger le journal :'),
      FORMATS.map((format) => h('button', {
        type: 'button', class: 'button small', testid: `journal-${format}`,
        'aria-label': `Journal de caisse en ${format.toUpperCase()}`, onclick: () => fetchFile(format),
      }, format.toUpperCase()))));
}
