"""``bench/throughput``: each target page's requests/s as a ratio to a bare "hello" Flask app, both served
by gunicorn with one configuration (bench/gunicorn_bench.py: 2 sync workers), loaded by wrk with the same
settings in the same run; on SQLite and on PostgreSQL. hello is measured before and after the pages and
the ratio uses the mean of both (the machine is shared: a drift shows as the gap between them).

Staff pages are loaded with a signed-in staff session, the public catalogue with an anonymous
visitor's session after its first page (a returning browser), the API with a token, the floor pages
with no cookie. FSI keeps a page per session until the data changes (fsi.cache.kept_page): wrk's
repeated views are served from it. Each page is also loaded on a second FSI server with
FSI_PAGE_CACHE_SECONDS=0, every view made again: what a view costs after a write."""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

GUNICORN = str(common.ROOT / ".venv" / "bin" / "gunicorn")
CONF = str(common.ROOT / "bench" / "gunicorn_bench.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(module, cwd, env):
    port = free_port()
    proc = subprocess.Popen([GUNICORN, "-c", CONF, "-b", f"127.0.0.1:{port}", module], cwd=cwd, env=env,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return proc, base
        except Exception:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"bench: {module} did not start")


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def wrk(url, seconds, connections, headers=()):
    # a slow page's answers count, whatever their time (wrk's default gives up after 2 s)
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    for h in (f"User-Agent: {common.USER_AGENT}", *headers):
        args += ["-H", h]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {}
    for p in ("50", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        pct[p] = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p50": pct["50"], "p90": pct["90"], "p99": pct["99"],
            "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(0) if errors else ""}


def check(url, headers):
    request = urllib.request.Request(url, headers={"User-Agent": common.USER_AGENT,
                                                   **dict(h.split(": ", 1) for h in headers)})
    with urllib.request.urlopen(request) as r:  # nosec B310 # our own local server
        return r.status, len(r.read())


def run(kind, n, seconds, connections):
    rows = []
    with common.database(kind, "tp") as url:
        t = time.monotonic()
        common.seed(url, n)
        seeded = time.monotonic() - t
        token = common.api_token(url)
        fsi, fsi_base = serve("wsgi:app", common.ROOT, common.env_for(url))
        made, made_base = serve("wsgi:app", common.ROOT, common.env_for(url, FSI_PAGE_CACHE_SECONDS="0"))
        hello, hello_base = serve("hello:app", common.ROOT / "bench", common.env_for(url))
        try:
            cookie = common.login(fsi_base)
            page_list = common.pages(url)
            visitor = common.visit(fsi_base, "/catalogue")
            load = os.getloadavg()
            wrk(hello_base + "/", 2, connections)  # warm-up
            hello_before = wrk(hello_base + "/", seconds, connections)
            for name, path, target in page_list:
                headers = ([f"Authorization: Bearer {token}"] if path.startswith("/api/")
                           else [f"Cookie: {visitor}"] if name.startswith("public")  # a returning visitor
                           else [f"Cookie: {cookie}"] if target is not None else [])
                status, size = check(fsi_base + path, headers)
                wrk(fsi_base + path, 2, connections, headers)  # warm-up
                result = wrk(fsi_base + path, seconds, connections, headers)
                wrk(made_base + path, 2, connections, headers)
                result["made"] = wrk(made_base + path, seconds, connections, headers)
                rows.append(dict(name=name, path=path, target=target, status=status, bytes=size, **result))
            hello_after = wrk(hello_base + "/", seconds, connections)
        finally:
            stop(fsi)
            stop(made)
            stop(hello)
    hello_rps = (hello_before["rps"] + hello_after["rps"]) / 2
    for r in rows:
        r["ratio"] = r["rps"] / hello_rps
        r["made"]["ratio"] = r["made"]["rps"] / hello_rps
    return dict(kind=kind, n=n, seed_seconds=round(seeded, 1), load_before=load, load_after=os.getloadavg(),
                hello_before=hello_before, hello_after=hello_after, pages=rows)


def report(res):
    hb, ha = res["hello_before"], res["hello_after"]
    lines = [f"### {res['kind']}, {res['n']} applications (seeded in {res['seed_seconds']} s)", "",
             f"hello: {hb['rps']:.0f} req/s before, {ha['rps']:.0f} after (p50 {hb['p50']:.2f} ms); "
             f"load average {res['load_before'][0]:.2f} before, {res['load_after'][0]:.2f} after", "",
             "| page | req/s | ÷ hello | target | p50 ms | p90 ms | p99 ms | | made each time: req/s | ÷ hello |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in res["pages"]:
        ok = "—" if r["target"] is None else "met" if r["ratio"] >= r["target"] else "**missed**"
        if r["non2xx"] or r["status"] != 200:
            ok += f" (status {r['status']}, {r['non2xx']} non-2xx)"
        if "timeout 0" not in r["socket_errors"] and r["socket_errors"]:
            ok += f" ({r['socket_errors']})"
        target = "—" if r["target"] is None else f"≥ {r['target']:.2f}"
        lines.append(f"| {r['name']} `{r['path']}` | {r['rps']:.1f} | {r['ratio']:.3f} | {target} | "
                     f"{r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | {ok} | {r['made']['rps']:.1f} | "
                     f"{r['made']['ratio']:.3f} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("-n", type=int, default=10_000, help="applications seeded (default 10 000)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--json", help="also write the raw results here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/throughput needs wrk: apt-get install -y wrk")
    results = []
    for kind in (("sqlite", "postgresql") if args.db == "both" else (args.db,)):
        res = run(kind, args.n, args.seconds, args.connections)
        results.append(res)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))
        print(report(res), flush=True)


if __name__ == "__main__":
    main()
