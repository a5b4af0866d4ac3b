"""Give sphinx-needs policycheck's vocabulary, merged with the user's own settings.

Runs at ``config-inited`` priority 11: after sphinx-needs has read a
``needs_from_toml`` file (10) and before it resolves the need types (12). Only
native, non-deprecated options are used: ``needs_types`` (with per-type status
enums), ``needs_fields`` (JSON-schema types and formats) and ``needs_links``
(with ``target_types``). Whatever the user configured is kept; a definition that
contradicts policycheck's is a configuration error, never silently replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sphinx.config import Config
from sphinx.errors import ConfigError

from policycheck.config import PolicyConfig
from policycheck.domain import Field, Vocabulary
from policycheck.i18n import Translate, translator

SPHINX_NEEDS_DEFAULT_ID_REGEX = "^[A-Z0-9_]{5,}"


def _declaration(f: Field, translate: Translate) -> dict[str, Any]:
    return {"description": translate(f.description), "nullable": True, "schema": dict(f.schema)}


def policy_types(vocab: Vocabulary, translate: Translate) -> list[dict[str, Any]]:
    """One sphinx-needs type per vocabulary type, declaring its statuses and the fields
    that belong to it (``Field.types``): on another type such a field is reported."""
    types = []
    for t in vocab.types:
        fields: dict[str, Any] = {
            # "type" is explicit: without it sphinx-needs 9.1 sees a changed schema
            # on every run and re-reads every document.
            "status": {"schema": {"type": "string", "enum": list(t.status_names)}}
        }
        for f in vocab.fields:
            if f.types and f.applies_to(t.role):
                fields[f.name] = _declaration(f, translate)
        types.append(
            {
                "directive": t.name,
                "title": translate(t.label),
                "prefix": t.prefix,
                "color": t.color,
                "style": "node",
                "fields": fields,
            }
        )
    return types


def policy_fields(vocab: Vocabulary, translate: Translate) -> dict[str, dict[str, Any]]:
    """The fields of every type (``Field.types`` empty); the others are per type."""
    return {f.name: _declaration(f, translate) for f in vocab.fields if not f.types}


def policy_links(vocab: Vocabulary, translate: Translate) -> dict[str, dict[str, Any]]:
    return {
        link.name: {
            "outgoing": translate(link.outgoing),
            "incoming": translate(link.incoming),
            "target_types": list(vocab.names_of(link.targets)),
        }
        for link in vocab.links
    }


def _as_type_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, Mapping):
        return [{"directive": key, **dict(spec)} for key, spec in value.items()]
    return [dict(t) for t in value or []]


def _is_sphinx_needs_default(types: list[dict[str, Any]]) -> bool:
    from sphinx_needs.config import DEFAULT_NEED_TYPES

    return types == [dict(t) for t in DEFAULT_NEED_TYPES]


def merge_types(user_value: Any, ours: list[dict[str, Any]]) -> list[dict[str, Any]]:
    user = _as_type_list(user_value)
    if _is_sphinx_needs_default(user):
        return ours
    by_directive = {t.get("directive"): t for t in user}
    merged = list(user)
    for ours_type in ours:
        theirs = by_directive.get(ours_type["directive"])
        if theirs is None:
            merged.append(ours_type)
        elif theirs != ours_type:
            raise ConfigError(
                f"policycheck: needs_types defines {ours_type['directive']!r}, which policycheck "
                "provides; remove it from needs_types (policycheck's own type is used)"
            )
    return merged


def merge_named(option: str, user_value: Any, ours: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = dict(user_value or {})
    for name, spec in ours.items():
        if name not in merged:
            merged[name] = spec
        elif merged[name] != spec:
            raise ConfigError(
                f"policycheck: {option} defines {name!r}, which policycheck provides "
                f"differently; remove it from {option} or rename it"
            )
    return merged


def configure_needs(config: Config, policy: PolicyConfig) -> None:
    vocab = policy.vocabulary()
    # the labels in the project's language (the catalogue is registered in setup())
    translate = translator(config.language)
    config.needs_types = merge_types(config.needs_types, policy_types(vocab, translate))
    config.needs_fields = merge_named(
        "needs_fields", config.needs_fields, policy_fields(vocab, translate)
    )
    config.needs_links = merge_named(
        "needs_links", config.needs_links, policy_links(vocab, translate)
    )
    if config.needs_id_regex == SPHINX_NEEDS_DEFAULT_ID_REGEX:
        # sphinx-needs' default would silently drop short ids such as G_OK.
        config.needs_id_regex = policy.id_pattern
    config.needs_id_required = True
    # Graphviz, not PlantUML: no Java, and no silent "PlantUML is not available" box.
    config.needs_flow_engine = "graphviz"
