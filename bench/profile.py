"""``bench/profile URL PATH...``: pyinstrument profiles and statement counts of pages, in process, against
an already seeded database (``FSI_DATABASE_URL=... bench/seed 10000`` first)."""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import inproc  # noqa: E402


def main():
    url, paths = sys.argv[1], sys.argv[2:]
    app = inproc.make_app(url)
    client = inproc.signed_in(app)
    token = None
    for path in paths:
        headers = None
        if path.startswith("/api/"):
            token = token or common.api_token(url)
            headers = {"Authorization": f"Bearer {token}"}
        stmts = inproc.statements(app, client, path, headers)
        print(f"=== {path}: {len(stmts)} statements, median {inproc.timed(client, path, 5, headers) * 1000:.1f} ms")
        for s, c in Counter(" ".join(s.split())[:160] for s in stmts).most_common(5):
            print(f"  {c} × {s}")
        print(inproc.profile(client, path, headers))


if __name__ == "__main__":
    main()
