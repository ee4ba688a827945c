"""Commands of this domain under ``flask fsi``."""
from fsi.cli import fsi_cli  # noqa: F401
