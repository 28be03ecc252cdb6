"""Choice labels without translating every label of the field on each call."""

from functools import cache

from django.utils.encoding import force_str


@cache
def _labels(field) -> dict:
    return dict(field.flatchoices)  # hashes the values only: the labels stay lazy


class ChoiceLabels:
    """A model mixin: `get_FOO_display()` from a dict made once per field. Django's own makes the choices
    hashable on each call, which translates every label of the field: on the request page's timeline (some
    forty kinds of event) that was most of the page's translation work."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value has no label
            label = value
        return force_str(label, strings_only=True)
