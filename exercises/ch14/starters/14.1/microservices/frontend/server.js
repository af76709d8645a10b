const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const PORT = Number(process.env.PORT || 3000);
const AUTH_URL = process.env.AUTH_URL || 'http://auth-service:8000';
const ORDER_URL = process.env.ORDER_URL || 'http://order-service:4000';
const page = fs.readFileSync(path.join(__dirname, 'public', 'index.html'));

function sendJson(res, status, data) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(data));
}

// Relaie la requête du navigateur vers un autre service, joint par son nom
async function relay(req, res, target) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const r = await fetch(target, {
    method: req.method,
    headers: { 'content-type': 'application/json', authorization: req.headers.authorization || '' },
    body: req.method === 'GET' ? undefined : body,
  });
  res.writeHead(r.status, { 'Content-Type': 'application/json' });
  res.end(await r.text());
}

async function probe(url) {
  try {
    const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return r.ok ? 'ok' : `HTTP ${r.status}`;
  } catch (err) {
    return `injoignable (${err.cause?.code || err.message})`;
  }
}

const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  try {
    if (pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(page);
    }
    if (pathname === '/health') return sendJson(res, 200, { status: 'ok', service: 'frontend' });
    if (pathname === '/api/status') {
      return sendJson(res, 200, { 'auth-service': await probe(AUTH_URL), 'order-service': await probe(ORDER_URL) });
    }
    if (pathname.startsWith('/api/auth/')) return await relay(req, res, AUTH_URL + pathname.slice(4));
    if (pathname === '/api/orders') return await relay(req, res, `${ORDER_URL}/orders`);
    sendJson(res, 404, { error: 'route inconnue' });
  } catch (err) {
    sendJson(res, 502, { error: err.message });
  }
});

server.listen(PORT, '0.0.0.0', () => console.log(`frontend écoute sur le port ${PORT}`));
process.on('SIGTERM', () => process.exit(0));
