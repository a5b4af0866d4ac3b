"""The register over time: what a change does to the items, read from git.

- :mod:`~policycheck.history.diff`: the changes between two sets of items.
- :mod:`~policycheck.history.words`: those changes in words, in the report's language.
- :mod:`~policycheck.history.scan`: items read from a file's text without Sphinx.
- :mod:`~policycheck.history.log`: the register's history along the git log, cached.
- :mod:`~policycheck.history.progress`: each goal's share of actions done, what is late.
- :mod:`~policycheck.history.opendata`: the register as JSON, CSV and an Atom feed.
"""
