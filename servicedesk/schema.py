"""The API schema says what every operation can answer: besides its success, the refusals every view gives
in one shape (`{"detail": ...}`, or a field's messages for 400), so a client (and schemathesis) can rely on it;
and every text says what it may hold (never a NUL; something besides spaces where it is required)."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.views import exception_handler

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,  # a 400 from a serializer names each field instead
}
REFUSALS = {
    "400": "The input is not valid; the answer names what and why.",
    "401": "Not signed in.",
    "403": "Signed in, but not allowed.",
    "404": "No such thing, or not one the caller may see.",
    "405": "Not with this method.",
    "406": "No answer in the asked-for format.",
    "409": "The request's state does not allow it now (already claimed, already resolved ...).",
    "415": "A body in a format the API does not read.",
    "429": "Too many failed sign-ins: locked for a while.",
}


# Texts are trimmed, so one that must not be blank needs a character other than white space; a NUL is
# refused everywhere (PostgreSQL cannot store it).
# The NUL stands in the pattern as the character itself, not as an escape: regex dialects (and the tools
# that generate strings from them) agree on a literal character.
NOT_BLANK = "^[^\x00]*[^\\s\x00][^\x00]*$"
NO_NUL = "^[^\x00]*$"


def document_refusals(result, generator, request, public):
    """drf-spectacular post-processing hook: the refusals on every operation that does not name them, and
    the patterns of its texts."""
    result.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = ERROR
    for name, schema in result["components"]["schemas"].items():
        if name.endswith("Request") and schema.get("type") == "object":  # what a client sends
            _text_patterns(schema)
            schema["additionalProperties"] = False  # the named fields only
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                _text_patterns(parameter.get("schema", {}), required=parameter.get("required", False))
            responses = operation.setdefault("responses", {})
            for status, description in REFUSALS.items():
                responses.setdefault(status, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}},
                })
    return result


def _text_patterns(schema: dict, *, required: bool = False) -> None:
    for sub in schema.get("properties", {}).values():
        _text_patterns(sub)
    if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        _text_patterns(schema["additionalProperties"])
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        _text_patterns(schema["items"])
    if schema.get("type") != "string" or "enum" in schema or "format" in schema or "pattern" in schema:
        return
    if schema.get("minLength", 0) >= 1 or required:
        schema["pattern"] = NOT_BLANK
        schema.setdefault("minLength", 1)
    else:
        schema["pattern"] = NO_NUL


def api_exception_handler(exc, context):
    """DRF's answers, except that naming a thing that does not exist (a customer, a service, a person) is
    404, as asking for one is: the input's form was right, the thing is not there."""
    if isinstance(exc, ValidationError) and _only_missing(exc.get_codes()):
        messages = [str(message) for message in _messages(exc.detail)]
        exc = NotFound(" ".join(messages))
    return exception_handler(exc, context)


def _only_missing(codes) -> bool:
    if isinstance(codes, dict):
        return bool(codes) and all(_only_missing(value) for value in codes.values())
    if isinstance(codes, list):
        return bool(codes) and all(_only_missing(value) for value in codes)
    return codes == "does_not_exist"


def _messages(detail):
    if isinstance(detail, dict):
        for value in detail.values():
            yield from _messages(value)
    elif isinstance(detail, list):
        for value in detail:
            yield from _messages(value)
    else:
        yield detail
