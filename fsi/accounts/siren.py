"""SIREN: the 9-digit French company number, checked with the Luhn algorithm."""


def normalise_siren(value):
    return "".join(str(value or "").split())


def is_valid_siren(value):
    digits = normalise_siren(value)
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siren_from(seed):
    """A valid SIREN made of an 8-digit ``seed`` and the check digit Luhn asks for (demo and test
    data; real numbers come from the organisations)."""
    body = f"{seed:08d}"[-8:]
    return next(body + str(check) for check in range(10) if is_valid_siren(body + str(check)))
