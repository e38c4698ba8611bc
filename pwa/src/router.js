// Hash router: #/, #/login, #/day/<register_id>/<YYYY-MM-DD>, #/history, #/alerts,
// #/conflicts, #/help, and the back office (#/reglages, #/equipe, #/arbitrage, #/audit, #/societes,
// #/rapports, #/cabinet, #/liaison) reserved to the roles named on each route. Hash routes keep working offline and behind any server fallback.

const ADMIN = ['admin', 'firm_admin'];
const FIRM = ['firm_admin'];

const ROUTES = [
  { name: 'home', pattern: /^\/?$/ },
  { name: 'login', pattern: /^\/login$/ },
  { name: 'activate', pattern: /^\/activer$/ },
  { name: 'day', pattern: /^\/day\/(\d+)\/(\d{4}-\d{2}-\d{2})$/, keys: ['registerId', 'date'] },
  { name: 'history', pattern: /^\/history(?:\/(\d{4})-(\d{2}))?$/, keys: ['year', 'month'] },
  { name: 'alerts', pattern: /^\/alerts$/ },
  { name: 'conflicts', pattern: /^\/conflicts$/ },
  { name: 'help', pattern: /^\/help$/ },
  { name: 'export', pattern: /^\/export$/, roles: ADMIN },
  // Back office (issue 11): loaded only for the roles below, guarded again by the server (403).
  { name: 'settings', pattern: /^\/reglages(?:\/([a-z-]+))?$/, keys: ['section'], roles: ADMIN },
  { name: 'team', pattern: /^\/equipe$/, roles: ADMIN },
  { name: 'arbitration', pattern: /^\/arbitrage$/, roles: ADMIN },
  { name: 'audit', pattern: /^\/audit$/, roles: ADMIN },
  { name: 'companies', pattern: /^\/societes(?:\/(nouvelle))?$/, keys: ['action'], roles: FIRM },
  // Reports (issue 12) and the firm dashboard.
  { name: 'reports', pattern: /^\/rapports(?:\/([a-z0-9-]+))?$/, keys: ['kind'], roles: ADMIN },
  { name: 'firm', pattern: /^\/cabinet$/, roles: FIRM },
  // Till link (issue 15): register tokens, code mapping, CSV import of Z reports.
  { name: 'till', pattern: /^\/liaison$/, roles: ADMIN },
];

/** The roles a route is reserved to (null: every logged-in user). */
export function rolesOf(name) {
  return ROUTES.find((r) => r.name === name)?.roles ?? null;
}

/** '#/day/3/2025-03-14' → {name: 'day', params: {registerId: 3, date: '2025-03-14'}} */
export function parseHash(hash) {
  const [path, search = ''] = decodeURIComponent(String(hash ?? '').replace(/^#/, '')).split('?');
  const query = Object.fromEntries(new URLSearchParams(search));
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = {};
    (route.keys ?? []).forEach((key, i) => {
      const raw = match[i + 1];
      if (raw === undefined) return;
      params[key] = /^\d+$/.test(raw) && key !== 'date' ? Number(raw) : raw;
    });
    return { name: route.name, params, query };
  }
  return { name: 'notfound', params: {}, query };
}

export const href = {
  home: () => '#/',
  login: () => '#/login',
  activate: () => '#/activer',
  day: (registerId, date) => `#/day/${registerId}/${date}`,
  history: (year, month) => (year ? `#/history/${year}-${String(month).padStart(2, '0')}` : '#/history'),
  alerts: () => '#/alerts',
  conflicts: () => '#/conflicts',
  export: () => '#/export',
  help: () => '#/help',
  settings: (section) => (section ? `#/reglages/${section}` : '#/reglages'),
  team: () => '#/equipe',
  arbitration: () => '#/arbitrage',
  audit: () => '#/audit',
  companies: (action) => (action ? `#/societes/${action}` : '#/societes'),
  reports: (kind) => (kind ? `#/rapports/${kind}` : '#/rapports'),
  firm: () => '#/cabinet',
  till: () => '#/liaison',
};

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/**
 * Start routing: `render(route, isCurrent)` is called for the current hash and on every change;
 * it may return a cleanup function called before the next render.
 *
 * A render still running when the hash changes again is superseded, not waited for (a screen
 * whose server hangs must not hold the user on it): `isCurrent()` turns false for it, and the
 * cleanup it returns late is run at once instead of being kept. `win` is the window (a
 * stand-in in the unit test).
 */
export function startRouter(render, win = window) {
  let cleanup = null;
  let generation = 0;
  async function runCleanup(fn) {
    if (typeof fn !== 'function') return;
    try {
      await fn();
    } catch (error) {
      console.warn('screen cleanup failed', error?.name);
    }
  }
  async function onChange() {
    const mine = ++generation;
    const isCurrent = () => mine === generation;
    const previous = cleanup;
    cleanup = null;
    await runCleanup(previous);
    if (!isCurrent()) return;
    const result = await render(parseHash(win.location.hash), isCurrent);
    if (isCurrent()) cleanup = result;
    else await runCleanup(result);
  }
  win.addEventListener('hashchange', onChange);
  return onChange();
}
