"""Textual glue for the catalog in `examops.i18n`: bindings, policy codes and evidence in the screen's language."""

from __future__ import annotations

from dataclasses import replace

from examops.i18n import language, spoken, word
from examops.i18n.document_words import gate_reason
from examops.tui.words import BINDING


def code_label(code) -> str:  # noqa: ANN001 - an OutcomeCode
    return code.label(language())


def evidence_label(evidence) -> str:  # noqa: ANN001 - an Evidence
    return evidence.label(language())


def reason_words(reason: str, policy) -> str:  # noqa: ANN001 - a Policy
    """A reason the gate's policy recorded (English in the log) in the screen's language; staff's own words as typed."""
    return gate_reason(reason, language(), {c: code_label(code) for c, code in policy.codes.items()})


def failure_words(exc: BaseException) -> str:
    """An exception for the screen: a store's or site's refusal in the screen's language, anything else by its name."""
    from examops.domain.said import SaidError

    return spoken(exc) if isinstance(exc, SaidError) else f"{type(exc).__name__}: {exc}"


def localize_bindings(node, overrides: dict[str, str] | None = None) -> None:  # noqa: ANN001 - a DOMNode
    """Give a node's bindings the current language's descriptions, looked up by binding id."""
    overrides = overrides or {}
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_localized(b, overrides) for b in bindings]


def _localized(binding, overrides: dict[str, str]):  # noqa: ANN001, ANN202 - a textual Binding
    if not binding.id:
        return binding
    if binding.id in overrides:
        return replace(binding, description=overrides[binding.id])
    name = binding.id.rsplit(".", 1)[-1]
    return replace(binding, description=word(BINDING, name)) if name in BINDING else binding
