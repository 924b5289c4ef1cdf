"""Load benchmark: simulated users browsing the dashboard served in production mode.

Run ``make load`` or ``python -m bench.load_bench [--users 50] [--duration 60]``. For each
database (a SQLite temp file; PostgreSQL when reachable, see ``bench.import_bench``) it

1. migrates a new database, loads the shipped factor sets and seeds the demo authorities
   (``tracker demo --no-serve`` does the same), and adds ``--users`` log-ins with
   ``tracker.services.users.add_user``: one in ten an admin, then officers and viewers
   spread over the demo authorities;
2. starts ``tracker serve --workers W --threads T`` (gunicorn) on a free loopback port;
3. runs one thread per user, arriving at a random moment of the first ``--ramp-up``
   seconds: log in, then until ``--duration`` seconds have passed (or
   ``--page-views`` per user are done) open a page its role may see as the browser does
   on a full load — GET the page, GET ``/_dash-layout`` and ``/_dash-dependencies``, POST
   the page router, then POST the page's data callbacks (``bench.dash_client``) with the
   ``X-CSRFToken`` header — and wait ``--think`` seconds (a person reading) before the next;
4. reports p50/p95/p99 latency over all requests (and p95 per kind of request), the
   throughput, the error count (any status of 400 or more, or a failed connection) and the
   server's CPU time per page view (its processes' user and system time over the run, read
   from ``/proc``; also counted from the moment every user has signed in, leaving out the
   log-ins' password hashing), and the load generator's own CPU time per page view (this
   process, which shares the cores): on a machine others share, latency mostly measures
   the queue for the cores, while the CPU a page view costs does not depend on who else
   runs.

Results go to the ``load`` key of ``bench/results.json``. The goal: no errors, p95 under
500 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3

if not __package__:  # run as ``python bench/load_bench.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dash_client import component_props, initial_payloads, router_payload
from bench.import_bench import RESULTS_FILE, Database, database_servers

COMMON_PAGES = ("/", "/compare", "/collaboration", "/review", "/reports", "/factors")
GOAL_P95_MS = 500.0


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    role: str
    authority: str | None  # its code; None for admins


@dataclass
class Tally:
    """Every request's (kind, milliseconds) and the errors, shared by the user threads."""

    timings: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    users: int = 0  # how many users there are
    signed_in: int = 0  # how many have finished their log-in (whatever its answer)
    all_signed_in: threading.Event = field(default_factory=threading.Event)

    def record(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.timings.append((kind, ms))
            if error:
                self.errors.append(error)

    def count_sign_in(self) -> None:
        with self.lock:
            self.signed_in += 1
            if self.signed_in >= self.users:
                self.all_signed_in.set()

    def page_views(self) -> int:
        with self.lock:
            return sum(1 for kind, _ in self.timings if kind == "page")


# ------------------------------------------------------------------------- set-up


def seed(url: str, data_dir: Path, users: int, rng: random.Random) -> tuple[list[Login], list[str]]:
    """Migrate and seed the demo data; add ``users`` log-ins. Returns them and the codes."""
    from sqlalchemy import select

    from tracker import migrate
    from tracker.db import make_engine, make_session_factory, session_scope
    from tracker.models import Authority
    from tracker.services.demo.seed import seed_demo
    from tracker.services.reference import load_shipped_reference_data
    from tracker.services.users import add_user

    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    with session_scope(factory) as session:
        seed_demo(session, data_dir=data_dir)
    logins: list[Login] = []
    with session_scope(factory) as session:
        authorities = list(session.scalars(select(Authority).order_by(Authority.code)))
        for i in range(users):
            role = "admin" if i % 10 == 0 else ("officer" if i % 2 else "viewer")
            authority = None if role == "admin" else authorities[i % len(authorities)]
            password = secrets.token_urlsafe(16)
            email = f"load-{i:03d}@bench.example"
            add_user(session, email=email, password=password, role=role, authority=authority)
            logins.append(Login(email, password, role, authority.code if authority else None))
        codes = [a.code for a in authorities]
    engine.dispose()
    return logins, codes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    url: str, workdir: Path, port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_HOME": str(workdir / "home"),
        "TRACKER_DATA_DIR": str(workdir / "files"),
        "TRACKER_SECRET_KEY": secrets.token_urlsafe(48),
    }
    tracker = Path(sys.executable).with_name("tracker")
    command = [str(tracker), "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tracker serve exited with status {server.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=30).status_code == 200:
                return server
        except requests.RequestException:
            pass  # not listening yet, or still starting its workers
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("tracker serve did not answer within 90 s")


def _process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` and its descendants (Linux ``/proc``;
    0.0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return own + sum(_process_cpu_seconds(int(child)) for child in children)


# ------------------------------------------------------------------------- users


def pages_for(login: Login, codes: Sequence[str], rng: random.Random) -> list[str]:
    """The pages this user may open (an admin's authority page: any authority)."""
    own = login.authority or rng.choice(codes)
    pages = [*COMMON_PAGES, f"/authority/{own}"]
    if login.role in ("admin", "officer"):
        pages.append("/upload")
    return pages


class Browser:
    """One user's connection to the server and cookies, kept as a browser keeps them: one
    kept-alive connection (opened again when the server has closed it while idle), and the
    cookies the server sets sent back with every request (a cookie set to expire is
    dropped). Made on urllib3, which requests is built on: requests' sessions cost the load
    generator, which shares the cores with the server, about three times the CPU a request
    (cookie jar policies, environment and .netrc look-ups), for the same requests."""

    FAILED = (urllib3.exceptions.HTTPError, OSError)  # no answer: refused, reset, timed out

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.pool = urllib3.HTTPConnectionPool(
            parts.hostname or "127.0.0.1",
            parts.port,
            maxsize=1,
            retries=False,
            timeout=urllib3.Timeout(60),
        )
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        form: dict[str, str] | None = None,
    ) -> urllib3.BaseHTTPResponse:
        sent = {"User-Agent": "tracker-load-bench", "Accept": "*/*", **(headers or {})}
        body: bytes | None = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.pool.urlopen(method, path, body=body, headers=sent, redirect=False)
        for header in response.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def close(self) -> None:
        self.pool.close()


class User:
    def __init__(self, base: str, login: Login, tally: Tally) -> None:
        self.base = base
        self.login = login
        self.tally = tally
        self.http = Browser(base)
        self.origin = {"Origin": base}

    def _timed(self, kind: str, method: str, path: str, **kwargs: Any) -> urllib3.BaseHTTPResponse:
        start = time.perf_counter()
        error: str | None = None
        try:
            response = self.http.request(method, path, **kwargs)
        except Browser.FAILED as exc:
            self.tally.record(kind, (time.perf_counter() - start) * 1000, f"{kind}: {exc}")
            raise
        if response.status >= 400:
            error = f"{kind} {path}: HTTP {response.status}"
        self.tally.record(kind, (time.perf_counter() - start) * 1000, error)
        return response

    def sign_in(self) -> None:
        form = self._timed("login", "GET", "/login").data.decode()
        match = re.search(r'name="csrf_token" value="([^"]+)"', form)
        token = match.group(1) if match else ""
        data = {"email": self.login.email, "password": self.login.password}
        self._timed(
            "login",
            "POST",
            "/login",
            form={**data, "csrf_token": token, "next": "/"},
            headers=self.origin,
        )

    def _callback(self, kind: str, payload: dict[str, Any]) -> urllib3.BaseHTTPResponse:
        headers = {**self.origin, "X-CSRFToken": self.http.cookies.get("_csrf_token", "")}
        return self._timed(
            kind, "POST", "/_dash-update-component", json_body=payload, headers=headers
        )

    def view(self, path: str) -> None:
        self._timed("page", "GET", path)
        self._timed("layout", "GET", "/_dash-layout")
        dependencies = json.loads(self._timed("dependencies", "GET", "/_dash-dependencies").data)
        routed = self._callback("router", router_payload(path))
        if routed.status != 200:
            return
        props = component_props(json.loads(routed.data))
        for payload in initial_payloads(dependencies, props, interactions=True):
            self._callback("callback", payload)


def run_user(
    user: User,
    pages: list[str],
    deadline: float,
    page_views: int | None,
    think: float,
    ramp_up: float,
    rng: random.Random,
) -> None:
    try:
        time.sleep(rng.uniform(0, ramp_up))  # users arrive over the ramp-up, not all at once
        try:
            user.sign_in()
        finally:
            user.tally.count_sign_in()
        done = 0
        while time.monotonic() < deadline and (page_views is None or done < page_views):
            user.view(rng.choice(pages))
            done += 1
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
    except Browser.FAILED:
        pass  # recorded as an error by _timed
    finally:
        user.http.close()


# ------------------------------------------------------------------------- report


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarise(tally: Tally, seconds: float) -> dict[str, Any]:
    all_ms = [ms for _, ms in tally.timings]
    kinds = sorted({kind for kind, _ in tally.timings})
    return {
        "requests": len(all_ms),
        "errors": len(tally.errors),
        "first_errors": tally.errors[:10],
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(all_ms) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(all_ms, 50), 1),
        "p95_ms": round(percentile(all_ms, 95), 1),
        "p99_ms": round(percentile(all_ms, 99), 1),
        "max_ms": round(max(all_ms, default=0.0), 1),
        "mean_ms": round(statistics.fmean(all_ms), 1) if all_ms else 0.0,
        "p95_ms_by_kind": {
            kind: round(percentile([ms for k, ms in tally.timings if k == kind], 95), 1)
            for kind in kinds
        },
        "requests_by_kind": {kind: sum(1 for k, _ in tally.timings if k == kind) for kind in kinds},
    }


def run_database(backend: str, server_url: str, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="tracker-load-") as tmp:
        workdir = Path(tmp)
        database = Database(backend, server_url, workdir)
        url = database.create(migrated=False)
        server = None
        try:
            logins, codes = seed(url, workdir / "files", args.users, rng)
            port = free_port()
            server = start_server(url, workdir, port, args.workers, args.threads)
            tally = Tally()
            base = f"http://127.0.0.1:{port}"
            load_before = os.getloadavg()
            cpu_before = _process_cpu_seconds(server.pid)
            generator_before = time.process_time()
            start = time.monotonic()
            deadline = start + args.duration
            threads = [
                threading.Thread(
                    target=run_user,
                    args=(
                        User(base, login, tally),
                        pages_for(login, codes, rng),
                        deadline,
                        args.page_views,
                        args.think,
                        args.ramp_up,
                        random.Random(rng.random()),
                    ),
                )
                for login in logins
            ]
            tally.users = len(threads)
            for thread in threads:
                thread.start()
            # Once every user has signed in: the log-ins' password hashing (scrypt, about
            # 0.1 s of CPU each, by design) is then behind, and what the server spends
            # from there on is browsing alone.
            browsing: tuple[float, int] | None = None
            if tally.all_signed_in.wait(timeout=max(0.0, deadline - time.monotonic())):
                browsing = (_process_cpu_seconds(server.pid), tally.page_views())
            for thread in threads:
                thread.join()
            generator = time.process_time() - generator_before
            result = summarise(tally, time.monotonic() - start)
            cpu = _process_cpu_seconds(server.pid) - cpu_before
            views = result["requests_by_kind"].get("page", 0)
            result["server_cpu_s"] = round(cpu, 1)
            result["server_cpu_ms_per_page_view"] = round(1000 * cpu / views, 1) if views else 0.0
            if browsing is not None and views > browsing[1]:
                after = (_process_cpu_seconds(server.pid) - browsing[0]) / (views - browsing[1])
                result["server_cpu_ms_per_page_view_signed_in"] = round(1000 * after, 1)
            result["generator_cpu_s"] = round(generator, 1)
            result["generator_cpu_ms_per_page_view"] = (
                round(1000 * generator / views, 1) if views else 0.0
            )
            result["load_average_before"] = [round(x, 2) for x in load_before]
            result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
            return result
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            database.drop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of browsing")
    parser.add_argument("--page-views", type=int, default=None, help="stop each user after N")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between views")
    parser.add_argument("--ramp-up", type=float, default=20.0, help="seconds for all to arrive")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args(argv)

    runs: dict[str, Any] = {}
    for backend, server_url in database_servers(args.databases).items():
        print(f"{backend}: {args.users} users for {args.duration:g} s …", flush=True)
        result = run_database(backend, server_url, args)
        runs[backend] = result
        verdict = "ok" if not result["errors"] and result["p95_ms"] < GOAL_P95_MS else "MISSED"
        print(
            f"  {result['requests']} requests ({result['requests_per_second']}/s), "
            f"{result['errors']} errors, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
            f"p99 {result['p99_ms']} ms  [goal: no errors, p95 < {GOAL_P95_MS:g} ms: {verdict}]"
        )
        print(f"  p95 by kind: {result['p95_ms_by_kind']}")
        print(
            f"  server CPU {result['server_cpu_s']} s, "
            f"{result['server_cpu_ms_per_page_view']} ms per page view "
            f"({result.get('server_cpu_ms_per_page_view_signed_in', '-')} ms once all had "
            f"signed in); load generator "
            f"{result['generator_cpu_ms_per_page_view']} ms per page view; load average "
            f"{result['load_average_before']} -> {result['load_average_after']}"
        )
        for error in result["first_errors"]:
            print(f"  error: {error}")
    if args.no_save:
        return 0
    results = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    results["load"] = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "settings": {
            "users": args.users,
            "duration_s": args.duration,
            "page_views_per_user": args.page_views,
            "think_s": args.think,
            "ramp_up_s": args.ramp_up,
            "workers": args.workers,
            "threads": args.threads,
        },
        "databases": runs,
    }
    RESULTS_FILE.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Results in {RESULTS_FILE.name} (key 'load').")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
