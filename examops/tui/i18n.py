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
    """An exception for the screen in its language: a refusal as said, a system's refusal of a file in the catalog's
    words, anything else framed by them with its name and its own text (the one part left as the program said it)."""
    from examops.domain.said import SaidError, os_reason
    from examops.i18n import _

    if isinstance(exc, SaidError):
        return spoken(exc)
    if isinstance(exc, OSError) and exc.errno is not None:
        reason = os_reason(exc)
        return spoken(reason) if not isinstance(reason, str) else _("system error: {detail}").format(detail=reason)
    detail = str(exc).strip()
    return (_("unexpected error {name}: {detail}") if detail else _("unexpected error {name}")).format(
        name=type(exc).__name__, detail=detail[:200])


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
