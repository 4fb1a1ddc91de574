"""One ``qti-assessment-item`` into a :class:`QtiItem`, or a :class:`QtiSkipped` saying why not.

An item is imported only when every interaction in it can be scored by Pathways; an item with
one unsupported interaction is reported whole (half a question would not make sense to a
student). Malformed items (an interaction bound to no response declaration, a correct answer
that is not one of the choices, a mapping value that is not a number) raise ``InputError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from pathways.engines.errors import InputError
from pathways.interop.qti._records import (
    SUPPORTED_INTERACTIONS,
    QtiInteraction,
    QtiItem,
    QtiSkipped,
    StandardRef,
)
from pathways.interop.qti._xml import XmlTree, local, parse_xml, text_of

__all__ = ["parse_item"]

# Body parts that are not the question: feedback, scorer-only rubrics, template logic.
_HIDDEN = {
    "qti-feedback-inline",
    "qti-feedback-block",
    "qti-modal-feedback",
    "qti-rubric-block",
    "qti-template-inline",
    "qti-template-block",
    "qti-simple-choice",
    "qti-prompt",
    "annotation",  # MathML: the LaTeX source beside the rendered formula
    "annotation-xml",
    "script",
    "style",
}
_BLOCKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "table", "tr", "blockquote", "pre"}
_NUMERIC = {"float", "integer"}
_BLANK = "____"
_ASKED = "[ ? ]"
_SPACES = re.compile(r"\s+")


@dataclass
class _Declaration:
    identifier: str
    cardinality: str
    base_type: str
    correct: list[str]
    mapping: list[tuple[str, float, bool]]
    line: int | None


def _declarations(tree: XmlTree, source: str) -> dict[str, _Declaration]:
    found: dict[str, _Declaration] = {}
    for element in tree.root:
        if local(element.tag) != "qti-response-declaration":
            continue
        line = tree.line(element)
        identifier = element.get("identifier", "").strip()
        if not identifier:
            raise InputError(source, "qti-response-declaration without an identifier", line=line)
        correct: list[str] = []
        mapping: list[tuple[str, float, bool]] = []
        for child in element.iter():
            name = local(child.tag)
            if name == "qti-correct-response":
                correct += [text_of(v) for v in child if local(v.tag) == "qti-value"]
            elif name == "qti-map-entry":
                raw = child.get("mapped-value", "")
                try:
                    value = float(raw)
                except ValueError:
                    raise InputError(
                        source, f"mapped-value {raw!r} is not a number", line=tree.line(child)
                    ) from None
                sensitive = child.get("case-sensitive", "false").strip().lower() == "true"
                mapping.append((child.get("map-key", ""), value, sensitive))
        found[identifier] = _Declaration(
            identifier,
            element.get("cardinality", "single"),
            element.get("base-type", ""),
            correct,
            mapping,
            line,
        )
    return found


def _render(element: Element, focus: Element | None, out: list[str]) -> None:
    """The student-facing text of ``element``; the asked interaction shows as a marked blank."""
    name = local(element.tag)
    if name.endswith("-interaction"):
        if name == "qti-text-entry-interaction" or name.startswith("qti-inline"):
            out.append(_ASKED if element is focus else _BLANK)
        else:
            out += [_visible(p) + "\n" for p in element if local(p.tag) == "qti-prompt"]
    elif name == "math" and (latex := _latex(element)):
        out.append(f"\\({latex}\\)")
    elif name not in _HIDDEN and name:
        _render_children(element, focus, out)
    if name in _BLOCKS:
        out.append("\n")


def _latex(math: Element) -> str:
    """A MathML formula's LaTeX annotation, which reads better as text than its MathML."""
    for element in math.iter():
        if local(element.tag) == "annotation" and "tex" in element.get("encoding", "").lower():
            latex = text_of(element)
            for start, end in (("\\[", "\\]"), ("\\(", "\\)"), ("$$", "$$"), ("$", "$")):
                if (
                    latex.startswith(start)
                    and latex.endswith(end)
                    and len(latex) > len(start + end)
                ):
                    latex = latex[len(start) : -len(end)]
            return latex.strip()
    return ""


def _render_children(element: Element, focus: Element | None, out: list[str]) -> None:
    out.append(_SPACES.sub(" ", element.text or ""))
    for child in element:
        _render(child, focus, out)
        out.append(_SPACES.sub(" ", child.tail or ""))


def _visible(element: Element, focus: Element | None = None) -> str:
    """The text a student sees inside ``element``: paragraphs kept, feedback left out."""
    parts: list[str] = []
    _render_children(element, focus, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _prompt(body: Element, focus: Element) -> str:
    return _visible(body, focus)


def _max_choices(element: Element, source: str, line: int | None) -> int:
    raw = element.get("max-choices", "1").strip()
    try:
        value = int(raw)
    except ValueError:
        raise InputError(source, f"max-choices {raw!r} is not a whole number", line=line) from None
    if value < 0:
        raise InputError(source, f"max-choices {value} is negative", line=line)
    return value


def _full_credit(declaration: _Declaration) -> tuple[list[str], list[tuple[str, float]], bool]:
    """Accepted answers (correct response, then mapping keys worth full credit), partial credit,
    and whether matching is case-sensitive (only when every accepted mapping says so)."""
    best = max((value for _, value, _ in declaration.mapping), default=0.0)
    accepted = list(declaration.correct)
    sensitive_flags = []
    partial: list[tuple[str, float]] = []
    for key, value, sensitive in declaration.mapping:
        if best > 0 and value >= best:
            if key not in accepted:
                accepted.append(key)
            sensitive_flags.append(sensitive)
        elif value > 0:
            partial.append((key, value / best))
    return accepted, partial, bool(sensitive_flags) and all(sensitive_flags)


def _interaction(
    tree: XmlTree,
    source: str,
    body: Element,
    element: Element,
    declarations: dict[str, _Declaration],
) -> QtiInteraction | str:
    """The scorable interaction, or the reason it cannot be scored."""
    name = local(element.tag)
    line = tree.line(element)
    response = element.get("response-identifier", "").strip()
    declaration = declarations.get(response)
    if declaration is None:
        raise InputError(
            source, f"<{name}> response-identifier {response!r} is not declared", line=line
        )
    prompt = _prompt(body, element)
    if name == "qti-extended-text-interaction":
        rubric = "\n".join(
            text_of(block) for block in body.iter() if local(block.tag) == "qti-rubric-block"
        )
        return QtiInteraction(name, response, "extended", prompt, line or 0, rubric=rubric)
    accepted, partial, sensitive = _full_credit(declaration)
    if not accepted:
        return (
            f"no correct response declared for {response} "
            "(it is computed by response processing or templates, which Pathways does not run)"
        )
    if name == "qti-text-entry-interaction":
        kind = "text"
        if declaration.base_type in _NUMERIC:
            try:
                if not all(math.isfinite(float(value)) for value in accepted):
                    raise ValueError("not finite")
                kind = "numeric"
            except ValueError:
                raise InputError(
                    source,
                    f"correct response {accepted!r} of {response} is not a {declaration.base_type}",
                    line=declaration.line,
                ) from None
        return QtiInteraction(
            name,
            response,
            kind,
            prompt,
            line or 0,
            correct=tuple(accepted),
            partial=tuple(partial),
            case_sensitive=sensitive,
        )
    choices = tuple(
        (c.get("identifier", "").strip(), " ".join(_visible(c).split()))
        for c in element.iter()
        if local(c.tag) == "qti-simple-choice"
    )
    known = {identifier for identifier, _ in choices}
    unknown = [value for value in accepted if value not in known]
    if unknown:
        raise InputError(
            source,
            f"correct response {', '.join(unknown)} of {response} is not a choice "
            f"(choices: {', '.join(sorted(known))})",
            line=declaration.line,
        )
    max_choices = _max_choices(element, source, line)
    multiple = declaration.cardinality == "multiple" or max_choices != 1
    return QtiInteraction(
        name,
        response,
        "multiple" if multiple else "choice",
        prompt,
        line or 0,
        choices=choices,
        correct=tuple(accepted) if multiple else tuple(declaration.correct or accepted[:1]),
        max_choices=max_choices,
    )


def parse_item(
    data: bytes, source: str, standards: Sequence[StandardRef] = ()
) -> QtiItem | list[QtiSkipped]:
    """Parse one item file: the item, or what was left out of it (one entry per reason)."""
    tree = parse_xml(data, source)
    root = tree.root
    root_name = local(root.tag)
    line = tree.line(root)
    if root_name in {"assessmentItem", "assessmentTest"}:
        reason = "a QTI 2.x file: only QTI 3 (qti-assessment-item) is imported"
        return [QtiSkipped(source, line, root.get("identifier", ""), reason)]
    if root_name == "qti-assessment-test":
        reason = "an assessment test: its items are imported from their own files"
        return [QtiSkipped(source, line, root.get("identifier", ""), reason)]
    if root_name != "qti-assessment-item":
        raise InputError(source, f"not a QTI 3 item: the root element is <{root_name}>", line=line)
    identifier = root.get("identifier", "").strip()
    if not identifier:
        raise InputError(source, "qti-assessment-item has no identifier", line=line)
    body = next((e for e in root if local(e.tag) == "qti-item-body"), None)
    if body is None:
        raise InputError(source, f"item {identifier} has no qti-item-body", line=line)
    declarations = _declarations(tree, source)
    elements = [e for e in body.iter() if local(e.tag).endswith("-interaction")]
    if not elements:
        return [QtiSkipped(source, line, identifier, "no interaction to score")]
    skipped = [
        QtiSkipped(
            source,
            tree.line(e),
            identifier,
            f"unsupported interaction <{local(e.tag)}>: the item is not imported",
            interaction=local(e.tag),
        )
        for e in elements
        if local(e.tag) not in SUPPORTED_INTERACTIONS
    ]
    if skipped:
        return skipped
    interactions: list[QtiInteraction] = []
    for element in elements:
        result = _interaction(tree, source, body, element, declarations)
        if isinstance(result, str):
            skipped.append(QtiSkipped(source, tree.line(element), identifier, result))
        else:
            interactions.append(result)
    if skipped:
        return skipped
    title = " ".join(root.get("title", "").split())
    return QtiItem(identifier, title, source, tuple(interactions), tuple(standards))
