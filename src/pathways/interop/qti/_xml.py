"""Safe XML for QTI: defusedxml (no DTDs, no entities, no external references) plus line numbers.

ElementTree forgets where an element was in the file; the tree builder below remembers the
parser's line for every element, so a report can say ``item.xml:42``.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from pathways.engines.errors import InputError

__all__ = ["XmlTree", "local", "parse_xml", "text_of"]

_SPACES = re.compile(r"\s+")


def local(tag: object) -> str:
    """``{namespace}name`` -> ``name`` (comments and processing instructions give '')."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_of(element: Element) -> str:
    """All the text inside ``element``, whitespace collapsed."""
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


class XmlTree:
    """A parsed document: its root and the line each element starts on."""

    def __init__(self, root: Element, lines: dict[int, int]) -> None:
        self.root = root
        self._lines = lines

    def line(self, element: Element) -> int | None:
        return self._lines.get(id(element))


class _LineBuilder:
    """A TreeBuilder target that notes the parser's current line for each element it starts."""

    def __init__(self) -> None:
        self.builder = TreeBuilder()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrib: dict[str, str]) -> Element:
        element = self.builder.start(tag, attrib)
        self.lines[id(element)] = int(self.parser.parser.CurrentLineNumber)
        return element

    def end(self, tag: str) -> Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


def parse_xml(data: bytes, source: str) -> XmlTree:
    """Parse ``data``; any DTD, entity or external reference is refused (XXE, billion laughs)."""
    target = _LineBuilder()
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    target.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise InputError(
            source, f"malformed XML: {reason} (column {column + 1})", line=line
        ) from None
    except DefusedXmlException as exc:
        line = int(parser.parser.CurrentLineNumber)
        raise InputError(
            source, f"refused: {type(exc).__name__} (DTDs and entities are not allowed)", line=line
        ) from None
    except (ValueError, LookupError, UnicodeError) as exc:
        raise InputError(source, f"unreadable XML: {exc}") from None
    if not isinstance(root, Element):
        raise InputError(source, "no XML document element")
    return XmlTree(root, target.lines)
