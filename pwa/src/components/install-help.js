// « Ajouter à l'écran d'accueil »: iOS has no install prompt, so we explain the steps.
import { h, section } from '../lib/dom.js';

export function isIos(ua = navigator.userAgent, platform = navigator.platform, touchPoints = navigator.maxTouchPoints) {
  // iPadOS 13+ says "Macintosh" but has a touch screen.
  return /iPhone|iPad|iPod/i.test(ua) || (platform === 'MacIntel' && touchPoints > 1);
}

export function isStandalone() {
  return window.matchMedia?.('(display-mode: standalone)').matches || navigator.standalone === true;
}

export function installSteps() {
  return h('ol', { class: 'steps' },
    h('li', {}, 'Ouvrez Caisse dans Safari.'),
    h('li', {}, 'Touchez le bouton Partager (le carré avec une flèche vers le haut), en bas ou en haut de l’écran.'),
    h('li', {}, 'Faites défiler et choisissez « Sur l’écran d’accueil ».'),
    h('li', {}, 'Touchez « Ajouter » : l’icône Caisse apparaît sur l’écran d’accueil.'),
    h('li', {}, 'Ouvrez ensuite Caisse depuis cette icône : vos saisies restent disponibles même sans connexion.'),
  );
}

/** The explanation as a card (help screen, and on iOS the home screen until installed). */
export function installHelp({ dismissible = false, onDismiss } = {}) {
  const card = section('Ajouter à l’écran d’accueil', { testid: 'ios-install' },
    h('p', {}, 'Sur iPhone et iPad, installez Caisse comme une application :'),
    installSteps(),
    h('p', { class: 'hint' },
      'Sur ordinateur ou Android, utilisez le bouton « Installer » de votre navigateur (Chrome, Edge).'),
  );
  if (dismissible) {
    card.append(h('button', {
      type: 'button',
      class: 'button',
      testid: 'ios-install-dismiss',
      onclick: () => {
        card.remove();
        onDismiss?.();
      },
    }, 'J’ai compris'));
  }
  return card;
}
