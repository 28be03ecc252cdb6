"""The API schema says what every operation can answer: besides its success, the refusals every view gives
in one shape (`{"detail": ...}`, or a field's messages for 400), so a client (and schemathesis) can rely on it."""

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


def document_refusals(result, generator, request, public):
    """drf-spectacular post-processing hook: the refusals on every operation that does not name them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = ERROR
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in REFUSALS.items():
                responses.setdefault(status, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}},
                })
    return result
