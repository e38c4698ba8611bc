// Hash router: #/, #/login, #/day/<register_id>/<YYYY-MM-DD>, #/history, #/alerts,
// #/conflicts, #/help. Hash routes keep working offline and behind any server fallback.

const ROUTES = [
  { name: 'home', pattern: /^\/?$/ },
  { name: 'login', pattern: /^\/login$/ },
  { name: 'activate', pattern: /^\/activer$/ },
  { name: 'day', pattern: /^\/day\/(\d+)\/(\d{4}-\d{2}-\d{2})$/, keys: ['registerId', 'date'] },
  { name: 'history', pattern: /^\/history(?:\/(\d{4})-(\d{2}))?$/, keys: ['year', 'month'] },
  { name: 'alerts', pattern: /^\/alerts$/ },
  { name: 'conflicts', pattern: /^\/conflicts$/ },
  { name: 'help', pattern: /^\/help$/ },
  { name: 'export', pattern: /^\/export$/ },
];

/** '#/day/3/2025-03-14' → {name: 'day', params: {registerId: 3, date: '2025-03-14'}} */
export function parseHash(hash) {
  const path = decodeURIComponent(String(hash ?? '').replace(/^#/, '')).split('?')[0];
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = {};
    (route.keys ?? []).forEach((key, i) => {
      const raw = match[i + 1];
      if (raw === undefined) return;
      params[key] = /^\d+$/.test(raw) && key !== 'date' ? Number(raw) : raw;
    });
    return { name: route.name, params };
  }
  return { name: 'notfound', params: {} };
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
};

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/**
 * Start routing: `render(route)` is called for the current hash and on every change;
 * it may return a cleanup function called before the next render.
 */
export function startRouter(render) {
  let cleanup = null;
  async function onChange() {
    if (typeof cleanup === 'function') {
      try {
        await cleanup();
      } catch (error) {
        console.warn('screen cleanup failed', error?.name);
      }
    }
    cleanup = await render(parseHash(location.hash));
  }
  window.addEventListener('hashchange', onChange);
  return onChange();
}
