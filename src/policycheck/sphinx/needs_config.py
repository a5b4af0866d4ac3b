"""Give sphinx-needs policycheck's vocabulary, merged with the user's own settings.

Runs at ``config-inited`` priority 11: after sphinx-needs has read a
``needs_from_toml`` file (10) and before it resolves the need types (12). Only
native, non-deprecated options are used: ``needs_types`` (with per-type status
enums), ``needs_fields`` (JSON-schema types and formats) and ``needs_links``
(with ``target_types``). policycheck adds and never takes away: the project's own
types (sphinx-needs' defaults when it sets none), fields, links, deprecated
``needs_extra_options``/``needs_extra_links`` and settings such as
``needs_id_required`` and ``needs_flow_engine`` stay as they are. A type or field
definition that uses one of policycheck's names is one configuration error naming
the setting, never silently replaced or merged; a link of the project's with one of
policycheck's names (a shared metamodel's ``implements``) is kept as the project
defined it, and policycheck's own rule checks the links of its items.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

from policycheck.config import PolicyConfig
from policycheck.domain import FIELDS, ITEM_TYPES, LINK_TYPES, Field, Vocabulary
from policycheck.i18n import N_, Translate, translator

SPHINX_NEEDS_DEFAULT_ID_REGEX = "^[A-Z0-9_]{5,}"
logger = logging.getLogger(__name__)


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


def merge_types(
    user_value: Any, ours: list[dict[str, Any]], translate: Translate = str
) -> list[dict[str, Any]]:
    """The project's types (sphinx-needs' defaults when it set none), then ours."""
    user = _as_type_list(user_value)
    by_directive = {t.get("directive"): t for t in user}
    merged = list(user)
    for ours_type in ours:
        name = ours_type["directive"]
        theirs = by_directive.get(name)
        if theirs is None:
            merged.append(ours_type)
        elif theirs != ours_type:
            example = f'types = {{ {_role(ours, name)} = "plan_{name}" }}'
            message = N_(
                "needs_types defines {name}, a name policycheck uses; give policycheck's "
                "another name in its TOML table ({example}) or remove it from needs_types"
            )
            raise ConfigError(
                "policycheck: " + translate(message).format(name=repr(name), example=example)
            )
    return merged


def _role(ours: list[dict[str, Any]], name: str) -> str:
    role: str = ITEM_TYPES[[t["directive"] for t in ours].index(name)].role
    return role


def merge_named(
    option: str,
    user_value: Any,
    ours: dict[str, dict[str, Any]],
    *,
    theirs_kept: bool = False,
    translate: Translate = str,
) -> dict[str, Any]:
    """The project's definitions, then ours. One of the project's that has one of our
    names is an error, or with ``theirs_kept`` is kept as it is (a link: policycheck
    checks the types at both ends itself, ``link-integrity``)."""
    merged: dict[str, Any] = dict(user_value or {})
    for name, spec in ours.items():
        if name not in merged:
            merged[name] = spec
        elif merged[name] == spec:
            continue
        elif not theirs_kept:
            message = N_(
                "{option} defines {name}, which policycheck provides differently; remove it "
                "from {option} or rename it"
            )
            raise ConfigError(
                "policycheck: " + translate(message).format(option=option, name=repr(name))
            )
        else:
            kept = N_(
                "{option} defines {name}; the project's definition is kept, and "
                "policycheck's rules check which items it may link"
            )
            logger.info("policycheck: %s", translate(kept).format(option=option, name=repr(name)))
    return merged


def _deprecated_names(config: Config) -> dict[str, list[str]]:
    """The names the project declares with sphinx-needs' deprecated list options."""
    options = [
        o if isinstance(o, str) else o.get("name")
        for o in config.needs_extra_options or []
        if isinstance(o, str | Mapping)
    ]
    links = [o.get("option") for o in config.needs_extra_links or [] if isinstance(o, Mapping)]
    return {
        "needs_extra_options": [n for n in options if isinstance(n, str)],
        "needs_extra_links": [n for n in links if isinstance(n, str)],
    }


def check_name_clashes(config: Config, translate: Translate = str) -> None:
    """A project's field with the name of one of policycheck's fields or links, or a
    link of the project's with the name of one of policycheck's fields, is an error
    (sphinx-needs would merge or override it); a link of the project's with one of
    policycheck's link names is kept as the project declared it (``needs_links`` or
    the deprecated ``needs_extra_links``: a shared metamodel's ``implements``), and
    every other name coexists."""
    field_names = {f.name for f in FIELDS}
    link_names = {link.name for link in LINK_TYPES}
    declared = _deprecated_names(config)
    declared["needs_extra_links"] = [n for n in declared["needs_extra_links"] if n in field_names]
    declared["needs_fields"] = [n for n in dict(config.needs_fields or {}) if n in link_names]
    declared["needs_links"] = [n for n in dict(config.needs_links or {}) if n in field_names]
    for option, names in declared.items():
        for name in names:
            if name in field_names or name in link_names:
                message = (
                    N_(
                        "{option} declares {name}, which is a policycheck field; rename the "
                        "project's {name} (policycheck's names are fixed)"
                    )
                    if name in field_names
                    else N_(
                        "{option} declares {name}, which is a policycheck link; rename the "
                        "project's {name} (policycheck's names are fixed)"
                    )
                )
                raise ConfigError(
                    "policycheck: " + translate(message).format(option=option, name=repr(name))
                )


def id_regex(current: str, policy: PolicyConfig, translate: Translate = str) -> str:
    """sphinx-needs' default id pattern, widened to accept policycheck's ids too (the
    default would silently drop short ids such as ``G_OK``); a project's own pattern
    is kept as it is."""
    if current == SPHINX_NEEDS_DEFAULT_ID_REGEX:
        return f"(?:{SPHINX_NEEDS_DEFAULT_ID_REGEX})|(?:{policy.id_pattern})"
    _check_own_ids(current, policy, translate)
    return current


def _check_own_ids(regex: str, policy: PolicyConfig, translate: Translate) -> None:
    """The project's pattern must let policycheck's ids through, or sphinx-needs would
    drop every item (checked on ids of policycheck's form, e.g. ``G_EXAMPLE``)."""
    try:
        pattern = re.compile(regex)
    except re.error:
        return  # sphinx-needs reports its own setting
    for t in ITEM_TYPES:
        sample = f"{t.prefix}EXAMPLE"
        if re.match(policy.id_pattern, sample) and not pattern.match(sample):
            message = N_(
                "needs_id_regex {regex} rejects policycheck's ids such as {sample}; widen it, "
                "or set id_pattern in the policycheck table to ids it accepts and write the "
                "items' ids in that form"
            )
            raise ConfigError(
                "policycheck: " + translate(message).format(regex=repr(regex), sample=sample)
            )


def configure_needs(config: Config, policy: PolicyConfig) -> None:
    vocab = policy.vocabulary()
    # the labels in the project's language (the catalogue is registered in setup())
    translate = translator(config.language)
    check_name_clashes(config, translate)
    types = policy_types(vocab, translate)
    config.needs_types = merge_types(config.needs_types, types, translate)
    fields = policy_fields(vocab, translate)
    config.needs_fields = merge_named(
        "needs_fields", config.needs_fields, fields, translate=translate
    )
    # a shared metamodel may define a link of ours (``implements``): kept as it is,
    # in needs_links or in the deprecated needs_extra_links (then not added again)
    theirs = set(_deprecated_names(config)["needs_extra_links"])
    links = {n: spec for n, spec in policy_links(vocab, translate).items() if n not in theirs}
    config.needs_links = merge_named(
        "needs_links", config.needs_links, links, theirs_kept=True, translate=translate
    )
    config.needs_id_regex = id_regex(config.needs_id_regex, policy, translate)
