"""A project-local PostGIS cluster: initdb, start, stop and status in var/pg."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

# Three roles, each with a password (scram-sha-256): the cluster's superuser creates databases
# and extensions; the owner owns the schema and runs migrations and loads; the web app connects
# as an ordinary role that may read and write rows but not change the schema.
SUPERUSER = "naeringskart"
OWNER_ROLE = "naeringskart_owner"
APP_ROLE = "naeringskart_app"
# A hot standby (gis.replica) streams the primary's WAL signed in as this role (REPLICATION, no
# other rights).
REPLICATION_ROLE = "naeringskart_replication"
ROLES = (SUPERUSER, OWNER_ROLE, APP_ROLE, REPLICATION_ROLE)
REQUIRED_PACKAGES = ("postgresql-15", "postgresql-15-postgis-3")
# Every connection, over TCP or the unix socket, proves its password.
HBA_SCRAM = """# Written by Næringskart: every role signs in with its password (scram-sha-256).
local   all             all                                     scram-sha-256
host    all             all             127.0.0.1/32            scram-sha-256
host    all             all             ::1/128                 scram-sha-256
local   replication     all                                     scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
"""


class ClusterError(Exception):
    """The local cluster could not be created, started or reached."""


@dataclass(frozen=True)
class ClusterStatus:
    """What `db status` reports."""

    initialised: bool
    running: bool
    port: int | None
    data_dir: Path

    def describe(self) -> str:
        """One line for people."""
        if not self.initialised:
            return f"no cluster in {self.data_dir}"
        state = f"running on 127.0.0.1:{self.port}" if self.running else "stopped"
        return f"cluster in {self.data_dir}: {state}"


def find_bindir() -> Path:
    """The directory holding initdb/pg_ctl (Debian keeps them off PATH)."""
    explicit = os.environ.get("NAERINGSKART_PG_BINDIR")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    raise ClusterError(
        "PostgreSQL server binaries not found. Install the Debian packages "
        f"{' and '.join(REQUIRED_PACKAGES)} (make demo does this as root or through sudo), "
        "or run PostGIS with `docker compose up db` and set NAERINGSKART_DATABASE_URL."
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a server can listen on 127.0.0.1:port.

    With SO_REUSEADDR, as PostgreSQL binds: connections of the last run that clients have not
    closed yet (a web app's pools right after `down`) do not count, so a restarted cluster comes
    back on its port and running apps reconnect to it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class LocalCluster:
    """A PostgreSQL cluster whose files live inside the project."""

    def __init__(self, root: Path) -> None:
        self.root = root

    # Paths are resolved on use: var/pg may be a symlink to a place the server user can reach.
    @property
    def pgdata(self) -> Path:
        """The PostgreSQL data directory."""
        return self.root.resolve() / "data"

    @property
    def socket_dir(self) -> Path:
        """Where the server's unix socket lives."""
        return self.root.resolve() / "run"

    @property
    def log_file(self) -> Path:
        """The server log."""
        return self.root.resolve() / "postgresql.log"

    @property
    def port_file(self) -> Path:
        """The port chosen at the last start."""
        return self.root.resolve() / "port"

    @property
    def password_file(self) -> Path:
        """The roles' passwords (JSON, readable only by the user who created the cluster)."""
        return self.root.resolve() / "passwords.json"

    def passwords(self) -> dict[str, str]:
        """Each role's password; generated on first use and kept in `password_file`."""
        try:
            known: dict[str, str] = json.loads(self.password_file.read_text())
        except FileNotFoundError:
            known = {}
        missing = [role for role in ROLES if role not in known]
        if missing:
            known.update({role: secrets.token_urlsafe(32) for role in missing})
            self.password_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as out:
                json.dump(known, out, indent=1)
        return known

    # -- who runs the server -------------------------------------------------
    @staticmethod
    def _server_user() -> str | None:
        """PostgreSQL refuses to run as root: then it runs as 'postgres'."""
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise ClusterError(
                "running as root, but there is no 'postgres' user to run the server as; "
                "install postgresql-15 or run as an ordinary user"
            ) from exc
        return "postgres"

    def run_as_server_user(self, args: list[str], check: bool = True,
                           stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program as the user the server runs as (ClusterError on failure)."""
        return self._run(args, check, stdin)

    def _run(self, args: list[str], check: bool = True,
             stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        user = self._server_user()
        command = ["runuser", "-u", user, "--", *args] if user else args
        result = subprocess.run(command, capture_output=True, text=True, check=False, input=stdin)
        if check and result.returncode != 0:
            raise ClusterError(f"{' '.join(args[:2])} failed: {result.stderr.strip()}")
        return result

    def _give_to_server_user(self, path: Path) -> None:
        user = self._server_user()
        if user:
            entry = pwd.getpwnam(user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    # -- state ---------------------------------------------------------------
    @property
    def initialised(self) -> bool:
        """Whether initdb has run here."""
        return (self.pgdata / "PG_VERSION").exists()

    @property
    def port(self) -> int | None:
        """The port the cluster listens on (set at start)."""
        try:
            return int(self.port_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def is_running(self) -> bool:
        """Whether the postmaster of this data directory is alive."""
        if not self.initialised:
            return False
        result = self._run([str(find_bindir() / "pg_ctl"), "status", "-D", str(self.pgdata)],
                           check=False)
        return result.returncode == 0

    def status(self) -> ClusterStatus:
        """Initialised, running and port."""
        running = self.is_running()
        return ClusterStatus(self.initialised, running, self.port if running else None, self.root)

    # -- lifecycle -----------------------------------------------------------
    def init(self) -> None:
        """Create the data directory (once)."""
        if self.initialised:
            return
        self.prepare_directories()
        # initdb reads the superuser's password from a file the server user can read; the file
        # goes as soon as initdb is done.
        superuser_password = self.root.resolve() / "initdb-password"
        superuser_password.write_text(self.passwords()[SUPERUSER] + "\n")
        self._give_to_server_user(superuser_password)
        try:
            self._run([
                str(find_bindir() / "initdb"), "-D", str(self.pgdata), "-U", SUPERUSER,
                "--auth=scram-sha-256", f"--pwfile={superuser_password}",
                "--encoding=UTF8", "--locale=C.UTF-8",
            ])
        finally:
            superuser_password.unlink(missing_ok=True)

    def prepare_directories(self) -> None:
        """The root, an empty data directory (0700) and the socket directory, all the server
        user's (initdb or pg_basebackup fills the data directory)."""
        self._place_where_server_user_can_reach()
        self.root.mkdir(parents=True, exist_ok=True)
        self.pgdata.mkdir(exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        for path in (self.root, self.pgdata, self.socket_dir):
            self._give_to_server_user(path)
        self.pgdata.chmod(0o700)

    def _place_where_server_user_can_reach(self) -> None:
        """When run as root in a folder 'postgres' cannot enter (e.g. a 0700 temp dir), keep the
        data under /var/tmp and leave var/pg as a symlink to it."""
        user = self._server_user()
        if not user or self.root.is_symlink() or self.root.exists():
            return
        parent = self.root.parent
        parent.mkdir(parents=True, exist_ok=True)
        reachable = subprocess.run(["runuser", "-u", user, "--", "test", "-x", str(parent)],
                                   capture_output=True, check=False).returncode == 0
        if reachable:
            return
        digest = hashlib.sha1(str(self.root.resolve()).encode()).hexdigest()[:12]
        outside = Path("/var/tmp") / f"naeringskart-pg-{digest}"
        outside.mkdir(parents=True, exist_ok=True)
        self.root.symlink_to(outside, target_is_directory=True)

    def up(self, timeout: float = 30.0) -> ClusterStatus:
        """Initialise if needed and start; a running cluster is left alone."""
        self.init()
        if self.is_running():
            if self.port is not None:
                self._require_passwords(self.port)
            return self.status()
        self._remove_stale_pid_file()
        port = self.port
        if port is None or not port_is_free(port):
            port = free_port()
        self.port_file.write_text(str(port) + "\n")
        if not self.log_file.exists():
            self.log_file.touch()
        self._give_to_server_user(self.log_file)
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} "
                   f"-c unix_socket_directories={self.socket_dir}")
        self._run([
            str(find_bindir() / "pg_ctl"), "start", "-D", str(self.pgdata), "-l", str(self.log_file),
            "-o", options, "-w", "-t", str(int(timeout)),
        ])
        self._require_passwords(port)
        return self.status()

    def _require_passwords(self, port: int) -> None:
        """A cluster made before passwords (initdb --auth=trust) lets anyone on this machine in
        as superuser: give the superuser its password and switch every connection to scram."""
        rules = [line.split() for line in self._hba_text().splitlines()
                 if line.strip() and not line.lstrip().startswith("#")]
        if not any("trust" in rule for rule in rules):
            return
        password = self.passwords()[SUPERUSER]
        try:
            with psycopg.connect(host="127.0.0.1", port=port, user=SUPERUSER, dbname="postgres",
                                 password=password, autocommit=True) as conn:
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(SUPERUSER), sql.Literal(password)))
        except psycopg.OperationalError as exc:
            raise ClusterError(f"cannot set the superuser's password in {self.root}: {exc}") from exc
        self._write_hba(HBA_SCRAM)
        self._run([str(find_bindir() / "pg_ctl"), "reload", "-D", str(self.pgdata), "-s"])

    def _hba_text(self) -> str:
        return self._run(["cat", str(self.pgdata / "pg_hba.conf")]).stdout

    def _write_hba(self, text: str) -> None:
        self._run(["sh", "-c", 'cat > "$1"', "write-hba", str(self.pgdata / "pg_hba.conf")],
                  stdin=text)

    def down(self) -> ClusterStatus:
        """Stop the server (fast shutdown: open sessions are ended, data is kept)."""
        if self.is_running():
            self._run([str(find_bindir() / "pg_ctl"), "stop", "-D", str(self.pgdata),
                       "-m", "fast", "-w"])
        return self.status()

    def _remove_stale_pid_file(self) -> None:
        """A pid file left by a killed server blocks the start: drop it once it is provably stale."""
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (ValueError, IndexError):
            pid_file.unlink()
            return
        if not _process_is_postgres(pid):
            pid_file.unlink()

    def url(self, database: str, role: str = SUPERUSER) -> str:
        """SQLAlchemy URL of a database in this cluster, signed in as one of `ROLES`."""
        port = self.port
        if port is None:
            raise ClusterError(f"the cluster in {self.root} has not been started (naeringskart db up)")
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        password = quote(self.passwords()[role], safe="")
        return f"postgresql+psycopg://{role}:{password}@127.0.0.1:{port}/{database}"


def _process_is_postgres(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return False
    return command.startswith("postgres")


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    """Block until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ClusterError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")
