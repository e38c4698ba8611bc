// A throw-away stand-in for the Flask API, to look at the built app without the server:
// serves dist/ (SPA fallback) and fakes auth, /api/me and sync push/pull in memory, seeded
// with the worked bakery day of DOMAIN.md §5. Run: npm run build && node scripts/mock-api.js [port]
// Login: any e-mail, password « caisse ». Not used by the tests; never deployed.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, dirname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const PORT = Number(process.argv[2] ?? 4180);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.webmanifest': 'application/manifest+json', '.json': 'application/json' };
const CID = 1;
const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);

let version = 0;
const rows = new Map(); // "entity:id" → {entity, id, data, version}
const devices = new Map(); // device id → last mutation id
const rejections = [];
function put(entity, id, data) {
  version += 1;
  rows.set(`${entity}:${id}`, { entity, id: String(id), data, version });
}
put('company', CID, { id: CID, name: 'Boulangerie du Marché', opt_cash_expenses: true, opt_transfers: true, opt_customer_credit: true,
  credit_mode: 'detailed', opt_gift_vouchers: true, opt_overpayments: true, cash_tolerance: '0.00', weekly_pattern: '1111110' });
put('register', 1, { id: 1, company_id: CID, name: 'Magasin', min_threshold: '100.00', max_threshold: '1500.00', active: true });
[[1, 'Pain', 550], [2, 'Boissons', 1000], [3, 'Épicerie', 2000]].forEach(([id, label, vat], i) =>
  put('category', id, { id, company_id: CID, label, vat_bp: vat, position: i + 1, active: true }));
[[10, 'Espèces', 'cash', 'manual'], [11, 'Carte bancaire', 'card', 'automatic'], [12, 'Chèques', 'cheque', 'manual'],
  [13, 'Bons cadeaux', 'gift_voucher', 'automatic'], [14, 'Crédit client', 'customer_credit', 'automatic']].forEach(([id, label, kind, mode], i) =>
  put('payment_method', id, { id, company_id: CID, label, kind, deposit_mode: mode, position: i + 1, active: true }));
put('supplier', 4, { id: 4, company_id: CID, name: 'Minoterie Dupont', expense_account: '601', vat_bp: 550, active: true });
put('customer', 5, { id: 5, company_id: CID, name: 'Mme Martin', active: true });
put('day', 'd-0', { id: 'd-0', register_id: 1, date: yesterday, status: 'closed', revision: 5, z_number: '40', sales_count: 120,
  sales: [{ category_id: 1, amount: '500.00' }], payments: [{ method_id: 10, amount: '500.00' }], opening: [],
  counts: [{ method_id: 10, amount: '200.00' }, { method_id: 12, amount: '0.00' }], comment: '', sequence: 1 });

const me = { user: { id: 1, email: 'caissiere@example.fr', name: 'Claire' }, csrf_token: 'mock-csrf',
  firm: { id: 1, name: 'Cabinet Exemple', phone: '01 23 45 67 89', email: 'contact@cabinet.example' },
  companies: [{ id: CID, name: 'Boulangerie du Marché', role: 'cashier', registers: [{ id: 1, name: 'Magasin' }] }] };

function dayOf(args) {
  const found = [...rows.values()].find((r) => r.entity === 'day' && r.data.register_id === args.register_id && r.data.date === args.date);
  if (found) return found.data;
  const data = { id: randomUUID(), register_id: args.register_id, date: args.date, status: 'open', revision: 0, z_number: '',
    sales_count: 0, sales: [], payments: [], opening: [], counts: [], comment: '' };
  put('day', data.id, data);
  return data;
}

function apply(m) {
  const day = dayOf(m.args);
  if (day.status === 'closed') return { code: 'day_closed', message: 'Cette journée est clôturée.' };
  // Typing the comment « conflit » plays a concurrent edit from another till.
  if (m.name === 'day.put' && m.args.fields.comment === 'conflit') {
    return { code: 'stale_revision', message: 'La journée a été modifiée sur une autre caisse.', server_value: { status: day.status, revision: day.revision, fields: { comment: 'Modifié par le gérant' }, conflicts: ['comment'] } };
  }
  if (m.name === 'day.put') Object.assign(day, m.args.fields, { revision: day.revision + 1 });
  if (m.name === 'flow.add') put('flow', m.args.flow.id, { ...m.args.flow, day_id: day.id, register_id: day.register_id, date: day.date, created_at: new Date().toISOString() });
  if (m.name === 'day.close') Object.assign(day, { status: 'closed', closed_at: new Date().toISOString() });
  put('day', day.id, day);
  return null;
}

function sync(path, body) {
  const last = devices.get(body.device_id) ?? 0;
  if (path === '/api/sync/push') {
    const results = [];
    let done = last;
    for (const m of body.mutations) {
      if (m.id <= done) { results.push({ id: m.id, status: 'duplicate' }); continue; }
      if (m.id !== done + 1) break;
      const refused = apply(m);
      if (refused) rejections.push({ mutation_id: m.id, name: m.name, args: m.args, server_value: null, ...refused, resolution: null });
      results.push({ id: m.id, status: refused ? 'rejected' : 'applied', ...refused });
      done = m.id;
    }
    devices.set(body.device_id, done);
    return { schema: 1, last_mutation_id: done, results, gap_at: null };
  }
  const since = body.cookie ?? 0;
  const changes = [...rows.values()].filter((r) => r.version > since).map((r) => ({ entity: r.entity, id: r.id, op: 'put', data: r.data }));
  return { schema: 1, cookie: version, reset: false, more: false, last_mutation_id: last, changes, rejections };
}

function api(path, body) {
  if (path === '/api/auth/login') return body.password === 'caisse' ? [200, { user: me.user, csrf_token: 'mock-csrf' }]
    : [401, { code: 'invalid_credentials', message: 'Adresse e-mail ou mot de passe incorrect.', errors: {} }];
  if (path === '/api/me') return [200, me];
  if (path === '/api/auth/csrf') return [200, { csrf_token: 'mock-csrf' }];
  if (path === '/api/auth/logout' || path === '/api/auth/activate') return [200, {}];
  if (path.startsWith('/api/sync/')) return [200, sync(path, body)];
  return [404, { code: 'not_found', message: 'Ressource introuvable.', errors: {} }];
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/api/')) {
    let text = '';
    for await (const chunk of req) text += chunk;
    const [status, out] = api(url.pathname, text ? JSON.parse(text) : {});
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(out));
    return;
  }
  let file = normalize(join(DIST, url.pathname === '/' ? 'index.html' : url.pathname));
  let body = file.startsWith(DIST) ? await readFile(file).catch(() => null) : null;
  if (body === null) body = await readFile((file = join(DIST, 'index.html')));
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
}).listen(PORT, '127.0.0.1', () => console.log(`mock API and dist/ on http://127.0.0.1:${PORT}/`));
