"""Hooks: how a lower domain lets higher ones add to what it does, without knowing them.

A domain declares its hooks as blinker signals in its ``signals.py`` (Indico's way); a higher
domain connects module-level functions to them in its ``init_app``. Connecting the same function
again is harmless (every application built in one process does it).
"""
from dataclasses import dataclass

from blinker import Namespace

signals = Namespace()


def collect(signal, sender, **kwargs):
    """What the receivers answered, in the order they connected, without the Nones; receivers
    answering a list add each of its items."""
    found = []
    for _receiver, answer in signal.send(sender, **kwargs):
        if answer is None:
            continue
        found.extend(answer if isinstance(answer, (list, tuple)) else [answer])
    return found


def any_true(signal, sender, **kwargs):
    """True when one receiver answers True (a grant: e.g. a higher domain letting a user see a row)."""
    return any(answer is True for _receiver, answer in signal.send(sender, **kwargs))


@dataclass(frozen=True)
class PageLink:
    """A link (or a button, when ``post``) that another domain adds to a page."""

    label: str
    url: str
    post: bool = False
    primary: bool = False
