"""One reading of a reference for the find box, the queue's text filter and a mail's subject."""

import pytest

from requests_app.models import reference_pattern


@pytest.mark.parametrize(("text", "found"), [
    ("SD-2026-000123", ["SD-2026-000123"]),
    ("Re: [sd-2026-000123] Payslip", ["sd-2026-000123"]),
    ("SD-2026-000123, SD-2025-004567", ["SD-2026-000123", "SD-2025-004567"]),
    ("XSD-2026-000123", []),
    ("SD-2026-0001234", []),
    ("SD-26-000123", []),
    ("AB-2026-000123", []),
])
def test_a_reference_is_read_in_any_case_and_never_inside_a_longer_word(text, found):
    assert reference_pattern().findall(text) == found


def test_the_prefix_is_the_desks_own(settings):
    settings.DESK_REFERENCE_PREFIX = "HEL"
    assert reference_pattern().fullmatch("hel-2026-000123") and not reference_pattern().fullmatch("SD-2026-000123")
