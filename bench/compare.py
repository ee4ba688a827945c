"""``bench/compare REV [--db postgresql|sqlite] [-n 1000] [--rounds 3] [--seconds 5]``: the kept pages of
the throughput targets served by this tree and by revision REV side by side, on one database, in one run.

A machine's speed changes from one hour to the next (hello's req/s with it); two runs of
bench/throughput an hour apart cannot tell a change's effect from the machine's. Here both trees serve
the same seeded database at once (gunicorn, 2 sync workers each, like bench/throughput), with hello;
wrk loads each page on one then the other, for several rounds. REV is checked out with ``git worktree``
in a temporary folder (its compiled translations copied from this tree) and removed afterwards.
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import throughput  # noqa: E402

#: the signed-in targets (the catalogue, anonymous, reads no user and did not move)
NAMES = ("staff list", "application page", "GET /api/v1/applications")


def checkout(rev, folder):
    subprocess.run(["git", "-C", str(common.ROOT), "worktree", "add", "--detach", "-q", str(folder), rev], check=True)
    for catalogue in (common.ROOT / "translations").glob("*/LC_MESSAGES/*.mo"):
        shutil.copy(catalogue, folder / catalogue.relative_to(common.ROOT))


def measure(kind, trees, n, rounds, seconds):
    with common.database(kind, "compare") as url:
        common.seed(url, n)
        token = common.api_token(url)
        pages = [p for p in common.pages(url) if p[0].startswith(NAMES)]
        servers = {name: throughput.serve("wsgi:app", tree, common.env_for(url, PYTHONPATH=str(tree)))
                   for name, tree in trees.items()}
        hello = throughput.serve("hello:app", common.ROOT / "bench", common.env_for(url))
        try:
            cookies = {name: common.login(base) for name, (_proc, base) in servers.items()}
            hello_rps, rps = [], {}
            for _ in range(rounds):
                hello_rps.append(throughput.wrk(hello[1] + "/", seconds, 4)["rps"])
                for label, path, _target in pages:
                    for name, (_proc, base) in servers.items():
                        headers = ([f"Authorization: Bearer {token}"] if path.startswith("/api/")
                                   else [f"Cookie: {cookies[name]}"])
                        throughput.wrk(base + path, 1, 4, headers)  # warm-up: the page kept
                        result = throughput.wrk(base + path, seconds, 4, headers)
                        rps.setdefault((label, name), []).append(result["rps"])
        finally:
            for proc, _base in (*servers.values(), hello):
                throughput.stop(proc)
    return statistics.mean(hello_rps), rps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the revision to compare this tree with (e.g. a commit before a change)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("-n", type=int, default=1000, help="applications seeded (default 1 000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fsi_compare_") as tmp:
        folder = Path(tmp) / "tree"
        checkout(args.rev, folder)
        try:
            hello_rps, rps = measure(args.db, {args.rev: folder, "this tree": common.ROOT}, args.n, args.rounds,
                                     args.seconds)
        finally:
            subprocess.run(["git", "-C", str(common.ROOT), "worktree", "remove", "--force", str(folder)], check=False)
    print(f"{args.db}: hello {hello_rps:.0f} req/s (mean of {args.rounds} rounds)\n")
    print(f"| page | {args.rev}: req/s per round | this tree: req/s per round | ÷ hello: {args.rev} → this tree |")
    print("|---|---|---|---|")
    for label in dict.fromkeys(label for label, _name in rps):
        before, after = rps[(label, args.rev)], rps[(label, "this tree")]
        print(f"| {label} | {', '.join(f'{x:.0f}' for x in before)} | {', '.join(f'{x:.0f}' for x in after)} | "
              f"{statistics.mean(before) / hello_rps:.3f} → {statistics.mean(after) / hello_rps:.3f} |")


if __name__ == "__main__":
    main()
