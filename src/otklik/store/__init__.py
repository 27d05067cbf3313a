"""The store: tables, repositories, migrations."""

from otklik.store import inbox as _inbox  # noqa: F401 - keeps the inbox table in step with every commit
