"""``bench/growth``: the target pages at 1 000 and at 100 000 applications, in one process (Flask's test
client, both databases open side by side, measurements interleaved so that the machine's load hits both
alike): each page's median time at the large size ÷ at the small one (target ≤ 1.5), and its SQL
statement count at each size (must be equal: no statement per row). Two times per page: as served
once computed (aggregates kept until the next write, fsi.cache), and "first view after a write"
(the process's cache emptied before each request), which pays for the aggregates."""
import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import inproc  # noqa: E402


def measure(urls, rounds):
    sides = []
    for url in urls:
        app = inproc.make_app(url)
        client = inproc.signed_in(app)
        token = common.api_token(url)
        sides.append(dict(url=url, app=app, client=client, token=token, pages=common.pages(url)))
    out = []
    for i, (name, _path, target) in enumerate(sides[0]["pages"]):
        if target is None:
            continue
        times = [[] for _ in sides]
        colds = [[] for _ in sides]
        counts = []
        for side in sides:
            path = side["pages"][i][1]
            headers = {"Authorization": f"Bearer {side['token']}"} if path.startswith("/api/") else None
            with side["app"].app_context():
                counts.append(len(inproc.statements(side["app"], side["client"], path, headers)))
        for _ in range(rounds):
            for k, side in enumerate(sides):
                path = side["pages"][i][1]
                headers = {"Authorization": f"Bearer {side['token']}"} if path.startswith("/api/") else None
                times[k].append(inproc.timed(side["client"], path, 3, headers))
                colds[k].append(inproc.cold(side["app"], side["client"], path, headers))
        medians = [statistics.median(t) for t in times]
        cold = [statistics.median(t) for t in colds]
        out.append(dict(name=name, paths=[s["pages"][i][1] for s in sides], ms=[m * 1000 for m in medians],
                        ratio=medians[-1] / medians[0], statements=counts, cold_ms=[c * 1000 for c in cold],
                        cold_ratio=cold[-1] / cold[0]))
    return out


def report(rows, sizes, kind):
    lines = [f"### {kind}: {sizes[0]} vs {sizes[1]} applications", "",
             f"| page | ms at {sizes[0]} | ms at {sizes[1]} | ratio (≤ 1.5) | | first view after a write: "
             f"ms at {sizes[0]} | at {sizes[1]} | ratio | statements (first view) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ok = "met" if r["ratio"] <= 1.5 else "**missed**"
        same = "same" if len(set(r["statements"])) == 1 else "**differ**"
        lines.append(f"| {r['name']} | {r['ms'][0]:.1f} | {r['ms'][1]:.1f} | {r['ratio']:.2f} | {ok} | "
                     f"{r['cold_ms'][0]:.1f} | {r['cold_ms'][1]:.1f} | {r['cold_ratio']:.2f} | "
                     f"{' / '.join(map(str, r['statements']))} ({same}) |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--small-url", help="an already seeded database (skips seeding)")
    parser.add_argument("--large-url", help="an already seeded database (skips seeding)")
    parser.add_argument("--json")
    args = parser.parse_args()
    with common.database(args.db, "small") as small, common.database(args.db, "large") as large:
        if not args.small_url:
            common.seed(small, args.small)
        if not args.large_url:
            common.seed(large, args.large)
        rows = measure([args.small_url or small, args.large_url or large], args.rounds)
    print(report(rows, (args.small, args.large), args.db))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
