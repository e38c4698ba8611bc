// Who is logged in, what they may see (/api/me, kept for offline starts) and which
// company and register this device works on.
import { api, setCsrf } from './api.js';
import { getMeta, setMeta, forgetSession, pruneReplica } from './db.js';

export async function currentSession() {
  return getMeta('session');
}

export async function cachedMe() {
  return getMeta('me');
}

/** Ask the browser to keep our storage (Safari evicts unused sites after 7 days otherwise). */
export async function requestPersistence() {
  try {
    if (!navigator.storage?.persist) return false;
    if (await navigator.storage.persisted?.()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}

async function startSession(answer) {
  setCsrf(answer.csrf_token);
  await setMeta('session', { user: answer.user, csrf: answer.csrf_token, at: new Date().toISOString() });
  await refreshMe();
  requestPersistence();
}

export async function login(email, password) {
  const answer = await api.post('/api/auth/login', { email: email.trim(), password });
  await startSession(answer);
  return answer.user;
}

/** Activation sets the password; the answer may already open a session, else we log in. */
export async function activate(email, code, password) {
  const answer = await api.post('/api/auth/activate', { email: email.trim(), code: code.trim(), password });
  if (answer?.csrf_token && answer?.user) await startSession(answer);
  else await login(email, password);
}

/** GET /api/me, cached for offline starts; keeps the selection valid. */
export async function refreshMe() {
  const me = await api.get('/api/me');
  if (me?.csrf_token) {
    setCsrf(me.csrf_token);
    const session = await getMeta('session');
    await setMeta('session', { ...session, user: me.user, csrf: me.csrf_token });
  }
  await setMeta('me', me);
  await pruneReplica((me?.companies ?? []).map((c) => c.id));
  await ensureSelection(me);
  return me;
}

export async function logout() {
  try {
    await api.post('/api/auth/logout', {});
  } catch (error) {
    // Offline logout still forgets the session here; the cookie expires on its own.
    console.warn('logout request failed', error?.status);
  }
  setCsrf(null);
  await forgetSession();
}

export async function getSelection() {
  return getMeta('selection', { company_id: null, register_id: null });
}

export async function setSelection(companyId, registerId) {
  await setMeta('selection', { company_id: companyId, register_id: registerId });
}

/** Pick the first company and register when none (or a vanished one) is selected. */
export async function ensureSelection(me) {
  const selection = await getSelection();
  const companies = me?.companies ?? [];
  const company = companies.find((c) => c.id === selection.company_id) ?? companies[0];
  if (!company) return selection;
  const registers = company.registers ?? [];
  const register = registers.find((r) => r.id === selection.register_id) ?? registers[0];
  const next = { company_id: company.id, register_id: register?.id ?? null };
  if (next.company_id !== selection.company_id || next.register_id !== selection.register_id) {
    await setSelection(next.company_id, next.register_id);
  }
  return next;
}

export function companyOf(me, companyId) {
  return (me?.companies ?? []).find((c) => c.id === companyId) ?? null;
}
