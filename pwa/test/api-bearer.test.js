// api.js outside the browser: absolute server URL and a personal token instead of cookie + CSRF.
import 'fake-indexeddb/auto';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { api, configureApi, setCsrf } from '../src/api.js';

let calls = [];
globalThis.fetch = async (url, init) => {
  calls.push({ url, init });
  return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'Content-Type': 'application/json' } });
};

afterEach(() => {
  configureApi();
  setCsrf(null);
  calls = [];
});

test('a configured token goes as a bearer header to the configured server, without CSRF', async () => {
  configureApi({ url: 'http://127.0.0.1:5000/', token: 'cai_secret' });
  setCsrf('csrf-should-not-leave');
  await api.post('/api/sync/push', { schema: 1 });
  assert.equal(calls[0].url, 'http://127.0.0.1:5000/api/sync/push');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer cai_secret');
  assert.equal(calls[0].init.headers['X-CSRF-Token'], undefined);
});

test('by default: same-origin path, CSRF header on writes, no Authorization', async () => {
  setCsrf('tok');
  await api.post('/api/sync/pull', {});
  assert.equal(calls[0].url, '/api/sync/pull');
  assert.equal(calls[0].init.headers['X-CSRF-Token'], 'tok');
  assert.equal(calls[0].init.headers.Authorization, undefined);
});
