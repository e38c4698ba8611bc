// Prints the first-load weight (JS + CSS referenced by dist/index.html, gzipped) and fails
// the build above the budget. First load = entry scripts, their modulepreloads, stylesheets.
import { gzipSync } from 'node:zlib';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_KB = Number(process.env.CAISSE_BUDGET_KB ?? 150);
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

export function firstLoadAssets(html) {
  const found = new Set();
  const tag = /<(script|link)\b[^>]*>/gi;
  for (const [element, name] of html.matchAll(tag)) {
    const attr = (key) => new RegExp(`\\b${key}\\s*=\\s*["']([^"']+)["']`, 'i').exec(element)?.[1];
    if (name.toLowerCase() === 'script' && attr('src')) found.add(attr('src'));
    if (name.toLowerCase() === 'link') {
      const rel = (attr('rel') ?? '').toLowerCase();
      if ((rel === 'stylesheet' || rel === 'modulepreload') && attr('href')) found.add(attr('href'));
    }
  }
  return [...found].filter((src) => !/^https?:/i.test(src) && /\.(m?js|css)(\?|$)/.test(src));
}

function main() {
  const htmlPath = join(DIST, 'index.html');
  if (!existsSync(htmlPath)) {
    console.error('size-report: dist/index.html not found, run vite build first');
    process.exit(1);
  }
  const html = readFileSync(htmlPath);
  const htmlKb = gzipSync(html, { level: 9 }).length / 1024;
  let total = 0;
  for (const src of firstLoadAssets(html.toString('utf8'))) {
    const size = gzipSync(readFileSync(join(DIST, src.replace(/^\//, '').split('?')[0])), { level: 9 }).length;
    console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB  ${src}`);
    total += size;
  }
  const kb = total / 1024;
  console.log(`first load JS+CSS (gzip): ${kb.toFixed(1)} KB / budget ${BUDGET_KB} KB (index.html: ${htmlKb.toFixed(1)} KB more)`);
  if (kb > BUDGET_KB) {
    console.error(`size-report: over budget by ${(kb - BUDGET_KB).toFixed(1)} KB`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
