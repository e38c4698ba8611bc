// fetch wrapper for the same-origin JSON API: cookie session, CSRF header on writes,
// one error type carrying the server's French message.
import { getMeta, setMeta } from './db.js';

export class ApiError extends Error {
  constructor(status, body) {
    const data = body && typeof body === 'object' ? body : {};
    super(data.message || defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = data.code || (status === 0 ? 'network' : 'error');
    this.errors = data.errors || {};
    this.body = data;
  }
}

export function defaultMessage(status) {
  if (status === 0) return 'Serveur injoignable — vérifiez la connexion.';
  if (status === 401) return 'Authentification requise.';
  if (status === 403) return 'Action non autorisée pour votre profil.';
  if (status === 429) return 'Trop de tentatives, réessayez plus tard.';
  if (status >= 500) return 'Service momentanément indisponible, réessayez.';
  return 'Erreur inattendue.';
}

let csrfToken = null;
let baseUrl = '';
let bearer = null;

export function setCsrf(token) {
  csrfToken = token || null;
}

/**
 * Outside the app (node tools, the live sync test): an absolute server URL and a personal API
 * token sent as `Authorization: Bearer …` — no cookie, no CSRF. The app itself never calls this.
 */
export function configureApi({ url = '', token = null } = {}) {
  baseUrl = String(url).replace(/\/+$/, '');
  bearer = token || null;
}

async function currentCsrf() {
  if (csrfToken) return csrfToken;
  const session = await getMeta('session');
  csrfToken = session?.csrf ?? null;
  return csrfToken;
}

async function refreshCsrf() {
  const data = await request('/api/auth/csrf', { method: 'GET' }, false);
  const token = data?.csrf_token ?? null;
  setCsrf(token);
  const session = await getMeta('session');
  if (session && token) await setMeta('session', { ...session, csrf: token });
  return token;
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function request(path, { method = 'GET', body, signal } = {}, retryCsrf = true) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
  } else if (method !== 'GET' && method !== 'HEAD') {
    const token = await currentCsrf();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let response;
  try {
    response = await fetch(baseUrl + path, init);
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, null);
  }
  let data;
  try {
    data = await readBody(response);
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, null); // the body stopped half-way (network gone, time-out)
  }
  if (response.ok) return data;
  const error = new ApiError(response.status, data);
  if (retryCsrf && !bearer && response.status === 403 && error.code === 'csrf_failed') {
    await refreshCsrf();
    return request(path, { method, body, signal }, false);
  }
  throw error;
}

export const api = {
  get: (path, opts) => request(path, { ...opts, method: 'GET' }),
  post: (path, body, opts) => request(path, { ...opts, method: 'POST', body: body ?? {} }),
  put: (path, body, opts) => request(path, { ...opts, method: 'PUT', body }),
  patch: (path, body, opts) => request(path, { ...opts, method: 'PATCH', body }),
  del: (path, opts) => request(path, { ...opts, method: 'DELETE' }),
};
