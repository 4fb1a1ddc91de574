"""QTI 3 items in, without Django: choice, text entry and extended text; the rest is reported.

Example:
    >>> from pathways.interop.qti import parse_item
    >>> xml = b'''<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
    ...   identifier="two" title="Two"><qti-response-declaration identifier="RESPONSE"
    ...   cardinality="single" base-type="integer"><qti-correct-response><qti-value>2</qti-value>
    ...   </qti-correct-response></qti-response-declaration><qti-item-body><p>1 + 1 =
    ...   <qti-text-entry-interaction response-identifier="RESPONSE"/></p></qti-item-body>
    ...   </qti-assessment-item>'''
    >>> item = parse_item(xml, "two.xml")
    >>> item.interactions[0].kind, item.interactions[0].prompt, item.interactions[0].correct
    ('numeric', '1 + 1 = [ ? ]', ('2',))
"""

from pathways.interop.qti._items import parse_item
from pathways.interop.qti._reader import MAX_FILE_BYTES, MAX_PACKAGE_BYTES, read_qti
from pathways.interop.qti._records import (
    SUPPORTED_INTERACTIONS,
    QtiInteraction,
    QtiItem,
    QtiPackage,
    QtiSkipped,
    StandardRef,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PACKAGE_BYTES",
    "SUPPORTED_INTERACTIONS",
    "QtiInteraction",
    "QtiItem",
    "QtiPackage",
    "QtiSkipped",
    "StandardRef",
    "parse_item",
    "read_qti",
]
