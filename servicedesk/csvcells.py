"""Spreadsheet-safe CSV cells. A cell that starts with = + - @ or a control character is a formula to
Excel and LibreOffice (`=HYPERLINK(...)`, `=cmd|...`): every CSV the desk writes puts a ' before it, and
before a leading ' too, so the catalogue import (`read_cell`) gets every value back exactly."""

TRIGGERS = frozenset("=+-@'")


def _needs_quote(text: str) -> bool:
    return bool(text) and (text[0] in TRIGGERS or ord(text[0]) < 32)


def safe_cell(value):
    return "'" + value if isinstance(value, str) and _needs_quote(value) else value


def read_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and _needs_quote(value[1:]) else value
