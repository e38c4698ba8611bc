// A day filled by the till (issue 15): its Z fields are read-only, with a note saying where they come
// from; an admin may unlock them (POST …/till/z-reports/<register>/<date>/unlock, audited on the server).
import { h } from '../lib/dom.js';
import { api } from '../api.js';
import { toast, showError } from '../components/toast.js';

export function tillNote(dc, testid = 'till-note') {
  if (!dc.till?.locked || dc.readOnly) return null;
  const text = `Reçu de la caisse enregistreuse (Z n° ${dc.till.z_number}).`;
  if (!dc.admin) return h('p', { class: 'hint till-note', testid }, text);
  const button = h('button', { type: 'button', class: 'button small', testid: `${testid}-unlock` }, 'Déverrouiller');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api.post(`/api/companies/${dc.companyId}/till/z-reports/${dc.model.registerId}/${dc.model.date}/unlock`);
      toast('Ticket Z déverrouillé : la modification est tracée dans le journal d’audit.');
      dc.requestSync?.();
    } catch (e) {
      showError(e, e?.status === 0 ? 'Une connexion à Internet est nécessaire pour déverrouiller.'
        : 'Le déverrouillage a été refusé.');
      button.disabled = false;
    }
  });
  return h('p', { class: 'hint till-note', testid }, text, ' ', button);
}
