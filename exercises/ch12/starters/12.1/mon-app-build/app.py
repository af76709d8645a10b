import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

VERSION = os.environ.get("APP_VERSION", "inconnue")
PORT = int(os.environ.get("PORT", "8000"))


class Accueil(BaseHTTPRequestHandler):
    def do_GET(self):
        corps = f"mon-app version {VERSION}, uid {os.getuid()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(corps)))
        self.end_headers()
        self.wfile.write(corps)


def arreter(signum, frame):
    sys.exit(0)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, arreter)
    print(f"mon-app {VERSION} à l'écoute sur le port {PORT}", flush=True)
    HTTPServer(("0.0.0.0", PORT), Accueil).serve_forever()
