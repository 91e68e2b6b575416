"""Run a private Virtuoso Open-Source instance (Debian's ``virtuoso-opensource``) on 127.0.0.1.

For tests, benchmarks and users who want a real SPARQL server on one machine:
it writes its own ``virtuoso.ini`` into a working folder (database files,
loopback ports, the folder allowed for bulk loading), starts ``virtuoso-t`` in
the foreground under our control, waits for the HTTP port, lets the SPARQL
endpoint accept updates (``GRANT SPARQL_UPDATE``), and shuts it down.

    with VirtuosoServer("/tmp/vt") as v:
        store = SparqlStore(v.endpoint)
"""

from __future__ import annotations

import configparser
import contextlib
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from ..errors import PolicyGraphError

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VirtuosoServer:
    def __init__(self, workdir: str | Path, isql_port: int | None = None, http_port: int | None = None,
                 buffers: int = 170000) -> None:
        self.workdir = Path(workdir)
        self.isql_port = isql_port or free_port()
        self.http_port = http_port or free_port()
        self.buffers = buffers
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint (writes need the same SPARQL_UPDATE grant)."""
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    @staticmethod
    def available() -> bool:
        return shutil.which("virtuoso-t") is not None and PACKAGED_INI.is_file()

    def _write_ini(self) -> Path:
        cfg = configparser.ConfigParser(strict=False, interpolation=None, inline_comment_prefixes=(";",))
        cfg.optionxform = str  # keep Virtuoso's key case
        cfg.read(PACKAGED_INI)
        db = self.workdir
        for key, name in (("DatabaseFile", "virtuoso.db"), ("ErrorLogFile", "virtuoso.log"),
                          ("LockFile", "virtuoso.lck"), ("TransactionFile", "virtuoso.trx"),
                          ("xa_persistent_file", "virtuoso.pxa")):
            cfg["Database"][key] = str(db / name)
        cfg["TempDatabase"]["DatabaseFile"] = str(db / "virtuoso-temp.db")
        cfg["TempDatabase"]["TransactionFile"] = str(db / "virtuoso-temp.trx")
        cfg["Parameters"]["ServerPort"] = f"127.0.0.1:{self.isql_port}"
        cfg["Parameters"]["DirsAllowed"] = f"., {db}, /usr/share/virtuoso-opensource-7/vad"
        cfg["Parameters"]["NumberOfBuffers"] = str(self.buffers)
        cfg["Parameters"]["MaxDirtyBuffers"] = str(self.buffers * 3 // 4)
        cfg["HTTPServer"]["ServerPort"] = f"127.0.0.1:{self.http_port}"
        cfg["SPARQL"]["ResultSetMaxRows"] = "1000000"
        ini = db / "virtuoso.ini"
        with open(ini, "w", encoding="utf-8") as fh:
            cfg.write(fh)
        return ini

    def isql(self, sql: str) -> str:
        r = subprocess.run(["isql-vt", f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={sql}"],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0 or "*** Error" in r.stdout:
            raise PolicyGraphError(f"virtuoso isql failed: {(r.stdout + r.stderr).strip()[:300]}")
        return r.stdout

    def start(self, timeout: float = 90.0) -> VirtuosoServer:
        if not self.available():
            raise PolicyGraphError("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        ini = self._write_ini()
        self.proc = subprocess.Popen(["virtuoso-t", "-f", "-c", str(ini)], cwd=self.workdir,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = (self.workdir / "virtuoso.log")
                tail = log.read_text("utf-8", "replace")[-500:] if log.exists() else ""
                raise PolicyGraphError(f"virtuoso-t exited with {self.proc.returncode}: {tail}")
            try:
                urllib.request.urlopen(f"{self.endpoint}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            self.stop()
            raise PolicyGraphError(f"virtuoso did not answer on port {self.http_port} within {timeout:g} s")
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(PolicyGraphError, subprocess.TimeoutExpired):
            self.isql("shutdown;")
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
