#!/usr/bin/env python3
"""A real nginx with WebDAV PUT on 127.0.0.1, for the remote-cache tests.

As a context manager:

    with NginxDav(root) as server:        # root: the directory it serves
        server.url                         # http://127.0.0.1:PORT/cache
        server.root / "cache" / "cas"      # where PUT bodies land
        server.access_log()                # the access log's lines so far
        server.stop()                      # stop early (the server "dies")

As a command (manual use; Ctrl-C or SIGTERM stops it):

    python3 tests/support/nginx_dav.py --serve DIR [--token TOKEN] [--tls]

prints the URL on its first line of stdout, then serves until stopped.

nginx runs in the foreground (`daemon off`) with its configuration, pid
file, temp directories and logs in a fresh temporary directory, on an
ephemeral port. Run as root (as CI does) its workers run as root too (`user
root root`), so they can write into DIR whoever owns it; as another user the
`user` directive is left out. `token` makes every request without the header
`Authorization: Bearer TOKEN` fail with 401, so a test can see that the
client sends it. `tls=True` serves https with a fresh self-signed
certificate for 127.0.0.1 (made with the openssl CLI); `ca_file` is that
certificate, the only CA that vouches for it. Standard library only; nginx is Debian's nginx-light
(misc/setup.sh installs it).
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NGINX = "/usr/sbin/nginx"
PREFIX = "cache"  # the URL path the store lives under


class NginxError(Exception):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config_text(temp: Path, root: Path, port: int, token: str | None, tls: bool) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""
    check = ""
    if token is not None:
        # `if` with return is safe inside a location (nginx's "if is evil"
        # page lists return among the safe uses).
        check = (f'        if ($http_authorization != "Bearer {token}") {{\n'
                 f'            return 401;\n'
                 f'        }}\n')
    tls_lines = (f"        ssl_certificate {temp}/cert.pem;\n"
                 f"        ssl_certificate_key {temp}/key.pem;\n") if tls else ""
    return f"""{user}daemon off;
master_process on;
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log info;
events {{
    worker_connections 256;
}}
http {{
    access_log {temp}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    client_max_body_size 1g;
    keepalive_requests 100000;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port}{" ssl" if tls else ""};
{tls_lines}        server_name localhost;
        root {root};
        location / {{
{check}            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }}
    }}
}}
"""


class NginxDav:
    """nginx serving `root` over HTTP with PUT; see the module docstring."""

    def __init__(self, root: Path | str, token: str | None = None, tls: bool = False,
                 nginx: str = NGINX):
        self.root = Path(root).resolve()
        self.token = token
        self.tls = tls
        self.nginx = nginx
        self.temp: Path | None = None
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/{PREFIX}"

    @property
    def ca_file(self) -> Path:
        return self.temp / "cert.pem"

    def start(self) -> "NginxDav":
        if not os.access(self.nginx, os.X_OK):
            raise NginxError(f"{self.nginx} not found; `bash misc/setup.sh` (as root) "
                             "installs nginx-light")
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / PREFIX).mkdir(exist_ok=True)
        self.temp = Path(tempfile.mkdtemp(prefix="nginx-dav-"))
        # Readable by the workers whatever user they run as.
        os.chmod(self.temp, 0o755)
        if self.tls:
            self._make_certificate()
        last = ""
        for _ in range(5):  # another process may take the port we picked
            self.port = free_port()
            conf = self.temp / "nginx.conf"
            conf.write_text(config_text(self.temp, self.root, self.port, self.token, self.tls))
            self.proc = subprocess.Popen(
                [self.nginx, "-p", str(self.temp), "-e", str(self.temp / "error.log"),
                 "-c", str(conf)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=open(self.temp / "stderr.log", "ab"), start_new_session=True)
            if self._wait_ready(10.0):
                return self
            last = self._logs()
            self._kill()
        raise NginxError(f"nginx did not start:\n{last}")

    def _make_certificate(self) -> None:
        proc = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(self.temp / "key.pem"), "-out", str(self.temp / "cert.pem")],
            stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if proc.returncode != 0:
            raise NginxError(f"openssl req failed:\n{proc.stderr}")

    def _wait_ready(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if self.tls:
                    context = ssl.create_default_context(cafile=str(self.ca_file))
                    conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=1,
                                                       context=context)
                else:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("HEAD", f"/{PREFIX}/ready")
                conn.getresponse().read()
                conn.close()
                return True
            except OSError:
                time.sleep(0.02)
        return False

    def _logs(self) -> str:
        text = []
        for name in ("stderr.log", "error.log"):
            path = self.temp / name
            if path.exists():
                text.append(path.read_text(errors="replace"))
        return "".join(text)

    def _kill(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def access_log(self) -> list[str]:
        path = self.temp / "access.log" if self.temp else None
        if path is None or not path.exists():
            return []
        return path.read_text(errors="replace").splitlines()

    def stop(self) -> None:
        """Stops nginx; the temporary directory stays until close()."""
        self._kill()

    def close(self) -> None:
        self._kill()
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)
            self.temp = None

    def __enter__(self) -> "NginxDav":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", metavar="DIR", required=True,
                        help="directory to serve (created if missing)")
    parser.add_argument("--token", help="require 'Authorization: Bearer TOKEN'")
    parser.add_argument("--tls", action="store_true",
                        help="serve https with a self-signed certificate (its path is "
                             "printed on the second line)")
    args = parser.parse_args()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        with NginxDav(args.serve, token=args.token, tls=args.tls) as server:
            print(server.url, flush=True)
            if args.tls:
                print(server.ca_file, flush=True)
            while not stop and server.proc.poll() is None:
                time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    except NginxError as e:
        print(f"nginx_dav.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
