"""Imports each domain's demo steps so that ``seed-demo`` sees them all."""
import fsi.accounts.demo  # noqa: F401
import fsi.applications.demo  # noqa: F401
import fsi.review.demo  # noqa: F401
