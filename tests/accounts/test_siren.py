import pytest

from fsi.accounts.siren import is_valid_siren, normalise_siren


@pytest.mark.parametrize("value,valid", [
    ("732829320", True),          # a real SIREN
    ("552100554", True),
    ("732 829 320", True),        # spaces as printed on documents
    ("732829321", False),         # wrong check digit
    ("73282932", False),          # 8 digits
    ("7328293200", False),        # 10 digits
    ("73282932A", False),         # a letter
    ("", False),
    (None, False),
    ("000000000", True),          # Luhn-valid, even if no company has it
    ("123456789", False),
])
def test_siren_checksum(value, valid):
    assert is_valid_siren(value) is valid


def test_normalise_removes_spaces():
    assert normalise_siren(" 732 829\t320 ") == "732829320"
