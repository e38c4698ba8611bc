// Placeholder: the screen of this route is being built (see the issue named in router.js).
import { h, mount } from '../lib/dom.js';

export async function render(main) {
  mount(main, h('h1', {}, 'Bientôt disponible'));
}
