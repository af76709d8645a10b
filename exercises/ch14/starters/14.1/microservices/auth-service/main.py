import hashlib
import json
import os
import secrets
import signal
import sqlite3
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

PORT = int(os.environ.get("PORT", "8000"))
DB_PATH = os.environ.get("DB_PATH", "/app/db/auth.db")


def connect():
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    os.makedirs(os.path.dirname(DB_PATH), exist_ok=True)
    with connect() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, salt TEXT, hash TEXT)")
        conn.execute("CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, username TEXT)")


def hash_password(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 100_000).hex()


class Handler(BaseHTTPRequestHandler):
    def send_json(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_json(self):
        length = int(self.headers.get("Content-Length", 0))
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            return {}

    def do_GET(self):
        path = urlparse(self.path).path
        if path == "/health":
            return self.send_json(200, {"status": "ok", "service": "auth-service"})
        if path == "/auth/verify":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            with connect() as conn:
                row = conn.execute("SELECT username FROM tokens WHERE token = ?", (token,)).fetchone()
            if row is None:
                return self.send_json(401, {"error": "jeton invalide"})
            return self.send_json(200, {"username": row["username"]})
        self.send_json(404, {"error": "route inconnue"})

    def do_POST(self):
        path = urlparse(self.path).path
        data = self.read_json()
        username, password = data.get("username", ""), data.get("password", "")
        if path not in ("/auth/register", "/auth/login"):
            return self.send_json(404, {"error": "route inconnue"})
        if not username or not password:
            return self.send_json(400, {"error": "username et password sont obligatoires"})
        with connect() as conn:
            if path == "/auth/register":
                salt = secrets.token_hex(8)
                try:
                    conn.execute("INSERT INTO users VALUES (?, ?, ?)",
                                 (username, salt, hash_password(password, salt)))
                except sqlite3.IntegrityError:
                    return self.send_json(409, {"error": "utilisateur déjà inscrit"})
                return self.send_json(201, {"username": username})
            row = conn.execute("SELECT salt, hash FROM users WHERE username = ?", (username,)).fetchone()
            if row is None or hash_password(password, row["salt"]) != row["hash"]:
                return self.send_json(401, {"error": "identifiants invalides"})
            token = secrets.token_hex(16)
            conn.execute("INSERT INTO tokens VALUES (?, ?)", (token, username))
            return self.send_json(200, {"token": token})


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # arrêt propre sur docker stop
    init_db()
    print(f"auth-service écoute sur le port {PORT}, base {DB_PATH}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
