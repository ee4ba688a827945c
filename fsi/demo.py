"""Data the domains contribute, each step idempotent and run in order of its number:
- **setup steps**: reference data every installation needs (``flask fsi init-db`` runs them after
  migrating), e.g. the territories;
- **demo steps**: the demo data of ``flask fsi seed-demo``.

A domain adds its steps in its ``init_app``; a step returns the lines the command prints.
"""
_SETUP_STEPS = {}
_DEMO_STEPS = {}


def add_setup_step(order, func):
    _SETUP_STEPS[func.__module__, func.__qualname__] = (order, func)


def add_demo_step(order, func):
    _DEMO_STEPS[func.__module__, func.__qualname__] = (order, func)


def _run(steps):
    lines = []
    for _order, func in sorted(steps.values(), key=lambda step: step[0]):
        lines.extend(func() or ())
    return lines


def run_setup_steps():
    return _run(_SETUP_STEPS)


def run_demo_steps():
    return _run(_DEMO_STEPS)
