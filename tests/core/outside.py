"""Resources outside a PDF: a real HTTP server that counts requests, a real file, and the HTML that points at them.

Shared by tests/core/test_pdf.py (the wrapper) and the PDFs built on it (tests/attendance/test_pdf.py).
"""

import contextlib
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

# A 2×2 red PNG: what a real image reference would fetch.
_buffer = io.BytesIO()
Image.new("RGB", (2, 2), (200, 0, 0)).save(_buffer, format="PNG")
PNG = _buffer.getvalue()


class _Counting(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        self.server.requests.append(self.path)
        body = PNG if self.path.endswith(".png") else b"body{color:red}"
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def counting_server():
    """A real HTTP server on 127.0.0.1 (a free port); ``server.requests`` lists the paths asked for."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def secret_file(folder) -> Path:
    """A real image on disk, standing for the server's own files."""
    path = Path(folder) / "secret.png"
    path.write_bytes(PNG)
    return path


def image_count(data: bytes) -> int:
    reader = PdfReader(io.BytesIO(data))
    return sum(len(page.images) for page in reader.pages)


def outside_references(server, secret_png: Path) -> str:
    """A stylesheet, an @import, a background and images: over HTTP, as file://, relative and climbing out."""
    origin = f"http://127.0.0.1:{server.server_port}"
    return (
        f'<link rel="stylesheet" href="{origin}/style.css">'
        f"<style>@import url('{origin}/imported.css'); body{{background:url('{origin}/bg.png')}}</style>"
        f'<p>Lista</p><img src="{origin}/logo.png" alt=""><img src="{secret_png.as_uri()}" alt="">'
        f'<img src="secret.png" alt=""><img src="../../../../../../{secret_png}" alt="">'
    )
