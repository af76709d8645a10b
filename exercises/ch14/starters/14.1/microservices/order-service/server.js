const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { DatabaseSync } = require('node:sqlite');

const PORT = Number(process.env.PORT || 4000);
const DB_PATH = process.env.DB_PATH || '/app/db/orders.db';
const AUTH_URL = process.env.AUTH_URL || 'http://auth-service:8000';

fs.mkdirSync(path.dirname(DB_PATH), { recursive: true });
const db = new DatabaseSync(DB_PATH);
db.exec(`CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  item TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
)`);

function sendJson(res, status, data) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(data));
}

async function readJson(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  try { return JSON.parse(raw || '{}'); } catch { return {}; }
}

// Demande à auth-service, joint par son nom de service, à qui appartient le jeton
async function whoIs(authorization) {
  const r = await fetch(`${AUTH_URL}/auth/verify`, { headers: { authorization: authorization || '' } });
  return r.ok ? (await r.json()).username : null;
}

const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  try {
    if (req.method === 'GET' && pathname === '/health') {
      return sendJson(res, 200, { status: 'ok', service: 'order-service' });
    }
    if (req.method === 'GET' && pathname === '/orders') {
      return sendJson(res, 200, db.prepare('SELECT * FROM orders ORDER BY id').all());
    }
    if (req.method === 'POST' && pathname === '/orders') {
      const { item, quantity = 1 } = await readJson(req);
      const username = await whoIs(req.headers.authorization);
      if (!username) return sendJson(res, 401, { error: 'jeton invalide' });
      if (!item) return sendJson(res, 400, { error: 'item est obligatoire' });
      const result = db.prepare('INSERT INTO orders (username, item, quantity) VALUES (?, ?, ?)')
        .run(username, item, Number(quantity));
      return sendJson(res, 201, { id: Number(result.lastInsertRowid), username, item, quantity: Number(quantity) });
    }
    sendJson(res, 404, { error: 'route inconnue' });
  } catch (err) {
    console.error(err);
    sendJson(res, 502, { error: err.message });
  }
});

server.listen(PORT, '0.0.0.0', () => console.log(`order-service écoute sur le port ${PORT}, base ${DB_PATH}`));
process.on('SIGTERM', () => process.exit(0)); // arrêt propre sur docker stop
