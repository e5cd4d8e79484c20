"""Reading one table of a TOML config: typed reads through the shared rules, unknown keys refused.

Every message names the config file and the ``[section] key`` at fault; the value rules
themselves are :mod:`robust.core.rules` (one copy, shared with the Python API).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..core import rules
from ..core.errors import InputError

REQUIRED = object()


class Section:
    """Reads from the TOML table ``[name]`` of the config file ``label``.

    Each read records its key as known; :meth:`finish` rejects the keys nobody read (with
    a suggestion for typos).
    """

    def __init__(self, table: Any, name: str, label: str):
        self.label = label
        self.name = name
        if not isinstance(table, dict):
            raise InputError(f"{label}: [{name}] must be a table, got {rules.type_name(table)}")
        self.table = table
        self.known: list[str] = []

    def where(self, key: str) -> str:
        """``file: [section] key``, the place of a key in messages."""
        return f"{self.label}: [{self.name}] {key}"

    def has(self, key: str) -> bool:
        return key in self.table

    def get(self, key: str, default=REQUIRED):
        """The value as written (``default`` when absent; an error when required)."""
        if key not in self.known:
            self.known.append(key)
        if key in self.table:
            return self.table[key]
        if default is REQUIRED:
            raise InputError(f"{self.where(key)} is required")
        return default

    def read(self, rule, key: str, default=REQUIRED, **options):
        """The value read through a rule of :mod:`robust.core.rules` (``default`` when absent)."""
        value = self.get(key, default)
        if value is default and default is not REQUIRED:
            return value
        return rule(value, self.where(key), **options)

    def text(self, key: str, default=REQUIRED, choices=None):
        return self.read(rules.text, key, default, choices=choices)

    def number(self, key: str, default=REQUIRED, **bounds):
        return self.read(rules.number, key, default, **bounds)

    def integer(self, key: str, default=REQUIRED, **bounds):
        return self.read(rules.integer, key, default, **bounds)

    def flag(self, key: str, default=REQUIRED):
        return self.read(rules.flag, key, default)

    def names(self, key: str, default=REQUIRED, **options):
        return self.read(rules.names, key, default, **options)

    def numbers(self, key: str, default=REQUIRED, **bounds):
        return self.read(rules.numbers, key, default, **bounds)

    def subsection(self, key: str) -> "Section | None":
        """The sub-table ``[name.key]``, or None when absent."""
        value = self.get(key, None)
        return None if value is None else Section(value, f"{self.name}.{key}", self.label)

    def build(self, spec_class, **given):
        """A spec dataclass from the keys named like its fields (``given`` overrides), validated.

        Every other key is refused; an error of the spec is reported at this section.
        """
        fields = [field.name for field in dataclasses.fields(spec_class)]
        values = {name: self.get(name, None) for name in fields}
        values = {name: value for name, value in values.items() if name not in given and self.has(name)}
        self.finish()
        try:
            return spec_class(**values, **given)
        except InputError as error:
            raise InputError(f"{self.label}: [{self.name}] {error}") from None

    def finish(self) -> None:
        """Refuse the keys no read asked for."""
        for key in self.table:
            if key not in self.known:
                raise InputError(
                    f"{self.label}: [{self.name}] unknown key {key!r}; allowed: "
                    f"{', '.join(self.known)}" + rules.suggestion(key, self.known)
                )
