import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { firstLoadAssets } from '../scripts/size-report.js';
import { encodePng } from '../scripts/make-icons.js';
import { bypassesWorker } from '../src/sw-policy.js';

test('size report counts entry scripts, modulepreloads and stylesheets only', () => {
  const html = `<script type="module" crossorigin src="/assets/index-a.js"></script>
    <link rel="modulepreload" href="/assets/vendor-b.js"><link rel="stylesheet" href="/assets/index-c.css">
    <link rel="manifest" href="/manifest.webmanifest"><link rel="icon" href="/icons/favicon-32.png">
    <script src="https://example.org/x.js"></script>`;
  assert.deepEqual(firstLoadAssets(html), ['/assets/index-a.js', '/assets/vendor-b.js', '/assets/index-c.css']);
});

function pngSize(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(buf.subarray(12, 16).toString('ascii'), 'IHDR');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

test('the PNG encoder writes a decodable image', () => {
  const rgba = Buffer.alloc(2 * 2 * 4, 0xff);
  const png = encodePng(2, 2, rgba);
  assert.deepEqual(pngSize(png), [2, 2]);
  const idat = png.indexOf('IDAT');
  const length = png.readUInt32BE(idat - 4);
  assert.equal(inflateSync(png.subarray(idat + 4, idat + 4 + length)).length, 2 * (1 + 2 * 4));
});

test('committed icons have the sizes the manifest announces', () => {
  const icon = (name) => readFileSync(new URL(`../public/icons/${name}`, import.meta.url));
  assert.deepEqual(pngSize(icon('icon-192.png')), [192, 192]);
  assert.deepEqual(pngSize(icon('icon-512.png')), [512, 512]);
  assert.deepEqual(pngSize(icon('icon-maskable-512.png')), [512, 512]);
  assert.deepEqual(pngSize(icon('apple-touch-icon.png')), [180, 180]);
});

test('the service worker answers only same-origin GET outside /api/', () => {
  const origin = 'https://caisse.example.fr';
  assert.equal(bypassesWorker('GET', '/assets/index.js', origin), false);
  assert.equal(bypassesWorker('GET', `${origin}/`, origin), false);
  assert.equal(bypassesWorker('GET', '/api/me', origin), true);
  assert.equal(bypassesWorker('GET', '/api', origin), true);
  assert.equal(bypassesWorker('POST', '/api/sync/push', origin), true);
  assert.equal(bypassesWorker('POST', '/anything', origin), true);
  assert.equal(bypassesWorker('GET', 'https://cdn.example.org/x.js', origin), true);
  assert.equal(bypassesWorker('GET', '/apiary.png', origin), false);
});

test('the service worker skips waiting only on the page\'s message', () => {
  const sw = readFileSync(new URL('../src/sw.js', import.meta.url), 'utf8').replace(/\/\/.*$/gm, '');
  assert.equal(sw.match(/skipWaiting\(\)/g).length, 1);
  assert.match(sw, /data\.type === 'SKIP_WAITING'\) self\.skipWaiting\(\)/);
  assert.match(sw, /bypassesWorker\(event\.request\.method/);
  assert.match(sw, /SYNC_TAG/);
});
