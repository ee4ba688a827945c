"""Demo data, contributed by each domain: ``@demo_step(order)`` functions, each idempotent.

``flask fsi seed-demo`` runs them in order in one transaction and prints what each returns.
"""
_STEPS = []


def demo_step(order):
    def register(func):
        _STEPS.append((order, func))
        return func

    return register


def steps():
    return [func for _order, func in sorted(_STEPS, key=lambda s: s[0])]
