"""Lists cut into pages by keyset, for every list of requests (queues, personal lists, customer history)."""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Ordering:
    """A total order of a list (some fields, then the primary key) and how to go on from any row of it.

    Pages are cut by keyset, not by offset: the next page is "the rows after the last one shown", which an
    index finds directly, so the hundredth page costs what the first does and nothing is ever counted.
    `nullable_first` puts rows without a value in the first field after all the others (deadlines).
    """

    fields: tuple[str, ...]
    descending: bool = False
    nullable_first: bool = False

    def order_by(self, *, reverse: bool = False) -> list:
        descending = self.descending != reverse
        order = [F(name).desc() if descending else F(name).asc() for name in self.fields]
        if self.nullable_first:
            first = F(self.fields[0])
            order[0] = first.desc(nulls_first=True) if descending else first.asc(nulls_last=True)
        return order

    def key(self, row) -> str:
        values = [getattr(row, name) for name in self.fields]
        return "~".join("" if v is None else v.isoformat() if isinstance(v, dt.datetime) else str(v) for v in values)

    def parse(self, model, cursor: str) -> list:
        parts = cursor.split("~")
        if len(parts) != len(self.fields):
            raise InvalidCursor(cursor)
        values = []
        for name, text in zip(self.fields, parts):
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            try:
                if text == "" and field.null:
                    values.append(None)
                elif isinstance(field, models.DateTimeField):
                    moment = dt.datetime.fromisoformat(text)
                    if moment.tzinfo is None:
                        raise ValueError(text)
                    values.append(moment)
                else:
                    values.append(int(text))
            except ValueError:
                raise InvalidCursor(cursor) from None
        return values

    def beyond(self, values, *, forward: bool) -> Q:
        """Rows after `values` in this order (forward) or before them (backward)."""
        ascending = (not self.descending) == forward
        if self.nullable_first:
            first, rest = self.fields[0], Ordering(self.fields[1:], self.descending)
            value, rest_q = values[0], rest.beyond(values[1:], forward=forward)
            nulls_come_next = forward  # null sorts last, so only going forward can reach it
            if value is None:
                return Q(**{f"{first}__isnull": True}) & rest_q if forward else (
                    Q(**{f"{first}__isnull": False}) | (Q(**{f"{first}__isnull": True}) & rest_q))
            op = "gt" if ascending else "lt"
            found = Q(**{f"{first}__{op}": value}) | (Q(**{first: value}) & rest_q)
            return found | Q(**{f"{first}__isnull": True}) if nulls_come_next else found
        op = "gt" if ascending else "lt"
        found = Q()
        for i in range(len(self.fields) - 1, -1, -1):
            step = Q(**{f"{self.fields[i]}__{op}": values[i]})
            found = step if i == len(self.fields) - 1 else step | (Q(**{self.fields[i]: values[i]}) & found)
        # The same condition once more as a plain range on the first field, so an index starts right there.
        return Q(**{f"{self.fields[0]}__{op}e": values[0]}) & found


NEWEST = Ordering(("created_at", "pk"), descending=True)
OLDEST = Ordering(("created_at", "pk"))
BY_DEADLINE = Ordering(("next_deadline_at", "created_at", "pk"), nullable_first=True)


class Page:
    """One page of a list, cut by keyset (see Ordering): `after` and `before` are keys of rows shown before."""

    def __init__(self, queryset, *, ordering: Ordering = NEWEST, size: int, after: str | None = None,
                 before: str | None = None):
        model = queryset.model
        if after:
            queryset = queryset.filter(ordering.beyond(ordering.parse(model, after), forward=True))
        elif before:
            queryset = queryset.filter(ordering.beyond(ordering.parse(model, before), forward=False))
        rows = list(queryset.order_by(*ordering.order_by(reverse=bool(before and not after)))[:size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if before and not after:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = bool(after), more
        self.rows = rows
        self.next_key = ordering.key(rows[-1]) if rows and self.has_next else None
        self.previous_key = ordering.key(rows[0]) if rows and self.has_previous else None

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


PAGE_SIZE = 50


def page_or_none(params, rows, ordering: Ordering = NEWEST) -> Page | None:
    """The page a URL's query asks for; None when its `after` or `before` is not a key this list gave out."""
    try:
        return Page(rows, ordering=ordering, size=PAGE_SIZE, after=params.get("after"), before=params.get("before"))
    except InvalidCursor:
        return None
