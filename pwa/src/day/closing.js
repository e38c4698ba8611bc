// Commentaire, live controls (findings) and « Clôturer la journée », disabled with its reason
// while a blocking finding exists.
import { h, section, field } from '../lib/dom.js';
import { showError, toast } from '../components/toast.js';
import { INVALID_MESSAGE } from './model.js';

const SEVERITY = { error: 'Bloquant', warning: 'Attention', info: 'Info' };

export function findingsList(findings, testid = 'findings') {
  if (!findings.length) return h('p', { class: 'ok', testid: `${testid}-none` }, 'Aucune anomalie.');
  return h('ul', { class: 'findings', testid },
    findings.map((f) => h('li', { class: `finding finding-${f.severity}`, testid: `finding-${f.kind}` },
      h('span', { class: 'pill' }, SEVERITY[f.severity] ?? f.severity), ' ', f.message_fr)));
}

export function closingSection(dc) {
  const { model } = dc;
  const comment = h('textarea', { rows: 3, maxlength: 2000, testid: 'comment', disabled: dc.readOnly, value: model.header.comment ?? '' });
  comment.addEventListener('input', () => model.set('comment', comment.value));
  const live = h('div', { 'aria-live': 'polite', testid: 'controls' });
  const reason = h('p', { class: 'close-reason', id: 'close-reason', testid: 'close-reason' });
  const button = h('button', { type: 'button', class: 'button primary huge', testid: 'close-day', 'aria-describedby': 'close-reason' },
    'Clôturer la journée');
  // Closing seals the day: a second, explicit click (no window.confirm, which test browsers dismiss).
  const confirmBox = h('div', { class: 'confirm-box', hidden: true, testid: 'close-confirm-box' },
    h('p', {}, 'Clôturer la journée ? Elle ne pourra plus être modifiée ; une correction passera par une journée ouverte.'));
  const confirm = h('button', { type: 'button', class: 'button primary', testid: 'close-confirm' }, 'Confirmer la clôture');
  const cancel = h('button', { type: 'button', class: 'button', testid: 'close-cancel' }, 'Annuler');
  confirmBox.append(h('div', { class: 'actions' }, confirm, cancel));
  button.addEventListener('click', () => {
    if (button.dataset.blocked === 'true') return;
    confirmBox.hidden = false;
    confirm.focus();
  });
  cancel.addEventListener('click', () => {
    confirmBox.hidden = true;
    button.focus();
  });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      await model.close();
      toast('Journée clôturée. Elle sera scellée à la prochaine synchronisation.');
    } catch (error) {
      showError(error, 'La clôture n’a pas pu être enregistrée.');
      confirm.disabled = false;
    }
  });
  const commentField = field('Commentaire (justification des écarts)', comment,
    { hint: 'Obligatoire quand un écart de caisse n’est pas nul.' });

  const el = section('Contrôles et clôture', { testid: 'section-closing' },
    commentField,
    h('h3', {}, 'Contrôles'),
    live,
    dc.readOnly ? h('p', { class: 'notice', testid: 'day-closed' }, 'Journée clôturée : elle ne peut plus être modifiée.')
      : h('div', { class: 'close-box' }, button, reason, confirmBox));

  return {
    el,
    update({ evaluation, closing }) {
      // A field in error is a blocking point too: never « Aucune anomalie » above a refused closing.
      const typed = model.hasInvalid ? [{ severity: 'error', kind: 'invalid_field', message_fr: INVALID_MESSAGE }] : [];
      live.replaceChildren(evaluation.error ? h('p', { class: 'form-error' }, evaluation.error)
        : findingsList([...typed, ...evaluation.findings]));
      const needsComment = (evaluation.result?.methods ?? []).some((b) => b.difference);
      comment.required = needsComment;
      comment.setAttribute('aria-required', String(needsComment));
      const blocking = closing.findings.filter((f) => f.severity === 'error');
      // A field showing an error is not in the day: closing would seal figures the cashier did not mean.
      const invalid = model.hasInvalid;
      const blocked = invalid || Boolean(closing.error) || blocking.length > 0;
      button.dataset.blocked = String(blocked);
      button.disabled = blocked;
      if (blocked) confirmBox.hidden = true;
      const warnings = closing.findings.filter((f) => f.severity === 'warning').length + evaluation.findings.filter((f) => f.severity === 'warning').length;
      reason.dataset.state = blocked ? 'blocked' : warnings ? 'warning' : 'ok';
      if (invalid) reason.textContent = `Clôture impossible. ${INVALID_MESSAGE}`;
      else if (blocked) reason.textContent = `Clôture impossible : ${closing.error ?? blocking.map((f) => f.message_fr).join(' ')}`;
      else if (warnings) reason.textContent = 'Vous pouvez clôturer la journée : vérifiez d’abord les points signalés ci-dessus.';
      else reason.textContent = 'Tout est en ordre : vous pouvez clôturer la journée.';
    },
    refresh(header) {
      if (document.activeElement !== comment) comment.value = header.comment ?? '';
    },
  };
}
