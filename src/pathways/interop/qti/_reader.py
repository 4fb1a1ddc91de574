"""Read a QTI 3 content package (a folder or a zip with ``imsmanifest.xml``) or one item file.

The manifest is authoritative: every ``imsqti_item_xmlv3p0`` resource is read, tests and other
QTI versions are reported, web content (images, media) is ignored. A resource's standards come
from its metadata: 1EdTech Curriculum Standards Metadata (``labelledGUID``: a CASE GUID and a
code) or a LOM ``classification`` whose purpose is a competency or learning objective.

Every malformed file is reported at once (``InputErrors``), each with its file and line.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import Element

from pathways.engines.errors import InputError, InputErrors
from pathways.interop.qti._items import parse_item
from pathways.interop.qti._records import QtiItem, QtiPackage, QtiSkipped, StandardRef
from pathways.interop.qti._xml import XmlTree, local, parse_xml, text_of

__all__ = ["MAX_FILE_BYTES", "MAX_PACKAGE_BYTES", "read_qti"]

#: Refuse an item or manifest larger than this.
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Refuse a package whose files add up to more than this (a zip bomb stops here).
MAX_PACKAGE_BYTES = 256 * 1024 * 1024
MANIFEST = "imsmanifest.xml"

_OBJECTIVE_PURPOSES = {"competency", "learning objective", "educational objective", "objective"}

Reader = Callable[[str], bytes]


def _standards(resource: Element) -> tuple[StandardRef, ...]:
    refs: list[StandardRef] = []
    for element in resource.iter():
        name = local(element.tag)
        if name == "labelledGUID":
            parts = {local(child.tag): text_of(child) for child in element}
            refs.append(StandardRef(parts.get("GUID", ""), parts.get("label", "")))
        elif name == "classification":
            purpose = next(
                (text_of(v) for v in element.iter() if local(v.tag) == "value"), ""
            ).lower()
            if purpose not in _OBJECTIVE_PURPOSES:
                continue
            for taxon in (t for t in element.iter() if local(t.tag) == "taxon"):
                ids = [text_of(t) for t in taxon if local(t.tag) == "id"]
                entries = [text_of(t) for t in taxon if local(t.tag) == "entry"]
                code = (ids or entries or [""])[0]
                if code:
                    refs.append(StandardRef("", code))
    return tuple(dict.fromkeys(ref for ref in refs if ref.identifier or ref.code))


def _safe_href(href: str, base: str, source: str, line: int | None) -> str:
    path = posixpath.normpath(posixpath.join(base, href.replace("\\", "/")))
    if not href.strip() or href.startswith("/") or path.startswith(".."):
        raise InputError(source, f"href {href!r} leaves the package", line=line)
    return path


def _from_manifest(data: bytes, source: str, base: str, read: Reader, label: str) -> QtiPackage:
    tree: XmlTree = parse_xml(data, source)
    if local(tree.root.tag) != "manifest":
        raise InputError(source, "not a content package manifest", line=tree.line(tree.root))
    items: list[QtiItem] = []
    skipped: list[QtiSkipped] = []
    errors: list[InputError] = []
    seen: dict[str, str] = {}
    for resource in (e for e in tree.root.iter() if local(e.tag) == "resource"):
        kind = resource.get("type", "").strip()
        line = tree.line(resource)
        if kind.startswith("imsqti_test"):
            reason = "an assessment test: its items are imported from their own files"
            skipped.append(QtiSkipped(source, line, resource.get("identifier", ""), reason))
            continue
        if kind.startswith("imsqti_item_xmlv2"):
            reason = f"{kind}: only QTI 3 items are imported"
            skipped.append(QtiSkipped(source, line, resource.get("identifier", ""), reason))
            continue
        if not kind.startswith("imsqti_item"):
            continue  # images, media, stylesheets
        try:
            href = _safe_href(resource.get("href", ""), base, source, line)
            try:
                content = read(href)
            except (OSError, KeyError):
                raise InputError(source, f"resource file {href!r} is missing", line=line) from None
            parsed = parse_item(content, f"{label}/{href}", _standards(resource))
        except InputError as error:
            errors.append(error)
            continue
        if isinstance(parsed, QtiItem):
            if parsed.identifier in seen:
                other = seen[parsed.identifier]
                reason = f"item identifier {parsed.identifier!r} is also in {other}"
                errors.append(InputError(parsed.source, reason))
                continue
            seen[parsed.identifier] = parsed.source
            items.append(parsed)
        else:
            skipped += parsed
    if errors:
        raise InputErrors(errors)
    return QtiPackage(label, tuple(items), tuple(skipped))


def _read_file(path: Path, source: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                source, f"file is {size} bytes, more than the {MAX_FILE_BYTES} allowed"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None


def _read_zip(path: Path) -> QtiPackage:
    source = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(source, f"not a readable zip: {exc}") from None
    with archive:
        infos = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        total = sum(info.file_size for info in infos.values())
        if total > MAX_PACKAGE_BYTES:
            raise InputError(source, f"unzips to {total} bytes, more than {MAX_PACKAGE_BYTES}")
        manifests = sorted(
            (name for name in infos if posixpath.basename(name) == MANIFEST),
            key=lambda name: name.count("/"),
        )
        if not manifests:
            raise InputError(source, f"no {MANIFEST} in the zip")

        def read(name: str) -> bytes:
            info = infos[name]
            if info.file_size > MAX_FILE_BYTES:
                raise InputError(f"{source}/{name}", f"file is more than {MAX_FILE_BYTES} bytes")
            try:
                return archive.read(info)
            except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as exc:
                raise InputError(f"{source}/{name}", f"cannot unzip: {exc}") from None

        manifest = manifests[0]
        base = posixpath.dirname(manifest)
        return _from_manifest(read(manifest), f"{source}/{manifest}", base, read, source)


def read_qti(path: Path) -> QtiPackage:
    """Read a package folder, a package zip or a single item file.

    Raises ``InputError`` (or ``InputErrors``, every problem at once) for malformed input.
    """
    source = str(path)
    if path.is_dir():
        manifest = path / MANIFEST
        if not manifest.is_file():
            raise InputError(source, f"no {MANIFEST} in this folder (is it a QTI package?)")

        def read(name: str) -> bytes:
            if not (path / name).is_file():
                raise KeyError(name)
            return _read_file(path / name, f"{source}/{name}")

        return _from_manifest(_read_file(manifest, str(manifest)), str(manifest), "", read, source)
    if not path.exists():
        raise InputError(source, "no such file or folder")
    if zipfile.is_zipfile(path):
        return _read_zip(path)
    parsed = parse_item(_read_file(path, source), source)
    if isinstance(parsed, QtiItem):
        return QtiPackage(source, (parsed,), ())
    return QtiPackage(source, (), tuple(parsed))
