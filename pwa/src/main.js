// Boot: layout, sync engine and its triggers, service worker updates, router.
import './styles.css';
import './print.css';
import { currentDeviceId, onStorageFull, syncState } from './db.js';
import { pendingCount, othersPendingCount, onOutboxChange } from './sync/outbox.js';
import { createEngine } from './sync/engine.js';
import { installTriggers } from './sync/triggers.js';
import { createLayout } from './components/layout.js';
import { startUpdates } from './components/update.js';
import { toast, showError } from './components/toast.js';
import { startRouter, go, href, rolesOf } from './router.js';
import { currentSession, getSelection, cachedMe, companyOf } from './session.js';
import { companiesToSync, openRejections } from './store.js';
import { SCREENS } from './screens/index.js';
import { startAlertBadge } from './push.js';

const engine = createEngine({
  async companies() {
    if (!(await currentSession())) return [];
    return companiesToSync((await getSelection()).company_id, await currentDeviceId());
  },
  // The logged-in user's device: their entries go out, a colleague's wait for them (outbox.js).
  deviceId: () => currentDeviceId(),
  pendingCount: async () => pendingCount(null, await currentDeviceId()),
  othersPending: async () => othersPendingCount(await currentDeviceId()),
  isOnline: () => navigator.onLine,
  async lastSyncedAt() {
    const selection = await getSelection();
    return selection.company_id == null ? null : (await syncState(selection.company_id)).synced_at;
  },
});

const layout = createLayout(document.getElementById('app'), engine);

onStorageFull((error) => toast(error.message, { kind: 'error', timeout: 12000 }));
window.addEventListener('unhandledrejection', (event) => showError(event.reason));

startUpdates(layout.updateBanner, {
  pendingCount: async () => pendingCount(null, await currentDeviceId()),
  requestSync: () => engine.request('update'),
  onOutboxEmpty(callback) {
    return engine.onStatus((s) => {
      if (!s.syncing && s.pending === 0) queueMicrotask(callback);
    });
  },
});

async function refreshChrome() {
  const selection = await getSelection();
  const me = await cachedMe();
  const company = companyOf(me, selection.company_id);
  const register = company?.registers?.find((r) => r.id === selection.register_id);
  layout.setContext(company ? `${company.name}${register ? ` · ${register.name}` : ''}` : '');
  layout.setRole(company?.role);
  layout.setConflictCount(selection.company_id == null ? 0 : (await openRejections(selection.company_id)).length);
}

engine.onData(() => refreshChrome());
onOutboxChange(() => refreshChrome());

async function currentRole() {
  return companyOf(await cachedMe(), (await getSelection()).company_id)?.role ?? null;
}

const PUBLIC = new Set(['login', 'activate', 'help']);

/**
 * Each render mounts its screen into its own host inside <main>: a later render replaces the
 * host, so a screen superseded while still loading writes into a detached node and never over
 * the screen asked for after it.
 */
async function render(route, isCurrent = () => true) {
  const session = await currentSession();
  if (!session && !PUBLIC.has(route.name)) {
    go(href.login());
    return null;
  }
  if (session && route.name === 'login' && !engine.status().sessionExpired) {
    go(href.home());
    return null;
  }
  let screen = SCREENS[route.name] ?? SCREENS.notfound;
  layout.setRoute(route.name, Boolean(session));
  await refreshChrome();
  const roles = rolesOf(route.name);
  if (roles && !roles.includes(await currentRole())) screen = SCREENS.forbidden; // the server answers 403 too
  if (!isCurrent()) return null;
  const ctx = { engine, layout, session, route };
  const host = document.createElement('div');
  host.className = 'screen';
  layout.main.replaceChildren(host);
  try {
    const cleanup = await screen(host, route.params, ctx);
    if (isCurrent()) {
      layout.main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    return cleanup;
  } catch (error) {
    if (isCurrent()) showError(error, 'Cet écran n’a pas pu s’afficher.');
    return null;
  }
}

installTriggers(engine);
startAlertBadge(layout);
startRouter(render);
