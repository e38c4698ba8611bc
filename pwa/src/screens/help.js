// Aide: the firm's contact, how to install on iOS, what the status bar means.
import { h, mount, section } from '../lib/dom.js';
import { cachedMe } from '../session.js';
import { installHelp } from '../components/install-help.js';

/** Phone and e-mail of the accounting firm, from /api/me `firm`. */
export function firmContact(firm) {
  if (!firm) return h('p', {}, 'Pour toute question, contactez votre cabinet comptable.');
  const phone = (firm.phone ?? '').trim();
  const email = (firm.email ?? '').trim();
  return h('div', { class: 'contact', testid: 'firm-contact' },
    h('p', {}, 'Votre cabinet : ', h('strong', {}, firm.name ?? '')),
    phone ? h('p', {}, 'Téléphone : ', h('a', { href: `tel:${phone.replace(/[^\d+]/g, '')}`, testid: 'firm-phone' }, phone)) : null,
    email ? h('p', {}, 'E-mail : ', h('a', { href: `mailto:${email}`, testid: 'firm-email' }, email)) : null,
  );
}

export async function renderHelp(main) {
  const me = await cachedMe();
  mount(main,
    h('h1', {}, 'Aide'),
    section('Votre cabinet', {}, firmContact(me?.firm)),
    installHelp(),
    section('Travailler sans connexion', {},
      h('p', {}, 'Chaque saisie est enregistrée sur cet appareil dès que vous la tapez, puis envoyée au serveur dès que la connexion le permet.'),
      h('ul', {},
        h('li', {}, '« 3 modifications en attente » : des saisies attendent leur envoi ; ne videz pas les données du navigateur.'),
        h('li', {}, '« Synchronisé à 18:42 » : tout est envoyé et à jour.'),
        h('li', {}, '« Hors ligne » : vous pouvez continuer la saisie, l’envoi se fera au retour de la connexion.'),
        h('li', {}, '« Erreur de synchronisation » : le serveur a refusé ou n’a pas répondu ; l’envoi est réessayé automatiquement.'),
      ),
      h('p', {}, 'Si le serveur refuse une saisie (par exemple une journée déjà clôturée, ou modifiée entre-temps sur une autre caisse), elle apparaît dans « Conflits » avec la valeur du serveur, pour que vous choisissiez.'),
    ),
    section('La saisie journalière', {},
      h('p', {}, 'Suivez l’ordre du ticket Z : numéro du ticket Z, ventes par Classification, nombre de ventes, Ventilation par moyen de paiement, puis les apports et sorties, dépenses espèces et remises en banque.'),
      h('p', {}, 'Le solde théorique de chaque moyen de paiement est calculé en direct. Saisissez le solde réel compté (billetage possible) : l’écart de caisse s’affiche, et un commentaire est obligatoire s’il n’est pas nul avant de clôturer la journée.'),
    ),
  );
}
