"""The text drawn on a WeasyPrint PDF, for tests that check what a PDF shows (or must not show).

No PDF library is a dependency; this reads WeasyPrint's own output, which is all it is used for.
"""

from __future__ import annotations

import re
import zlib


def _pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number -> (dictionary, inflated stream), including objects packed in object streams."""
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S):
        head, stream = match.group(2), b""
        if b"stream" in head:
            head, _, rest = head.partition(b"stream")
            stream = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
            if b"/FlateDecode" in head:
                stream = zlib.decompressobj().decompress(stream)
        objects[int(match.group(1))] = (head, stream)
    # Small objects (fonts, resources) are packed into compressed object streams.
    for head, stream in [v for v in objects.values() if b"/ObjStm" in v[0]]:
        first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
        pairs = [int(n) for n in stream[:first].split()]
        offsets = list(zip(pairs[::2], pairs[1::2], strict=True))
        ends = [first + offset for _, offset in offsets[1:]] + [len(stream)]
        for (number, offset), end in zip(offsets, ends, strict=True):
            objects[number] = (stream[first + offset:end], b"")
    return objects


def _to_unicode(cmap: bytes) -> dict[bytes, str]:
    """A ToUnicode CMap as {4-digit hex glyph id: text}."""
    mapping: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[src.lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[f"{code:0{len(lo)}x}".encode()] = chr(int(dst, 16) + offset)
    return mapping


def _font_maps(objects: dict[int, tuple[bytes, bytes]]) -> dict[bytes, dict[bytes, str]]:
    """Font resource name (as used by Tf) -> its glyph map."""
    by_number = {
        number: _to_unicode(objects[int(found.group(1))][1])
        for number, (head, _) in objects.items()
        if b"/Font" in head and (found := re.search(rb"/ToUnicode (\d+) 0 R", head))
    }
    return {
        name: by_number[int(number)]
        for head, _ in objects.values()
        for name, number in re.findall(rb"/([A-Za-z0-9+_-]+) (\d+) 0 R", head)
        if int(number) in by_number
    }


def pdf_text(pdf: bytes) -> str:
    """The text drawn on a WeasyPrint PDF's pages, decoded through each font's ToUnicode map.

    No PDF library is installed (pypdf is not a dependency), and WeasyPrint writes text as glyph
    ids in compressed streams, so searching the bytes finds nothing even when the text is there.
    This reads the objects, inflates the streams, maps each font's glyph ids to characters and
    decodes every TJ/Tj string: enough for WeasyPrint's own output, which is all it is used for.
    """
    objects = _pdf_objects(pdf)
    fonts = _font_maps(objects)
    lines: list[str] = []
    for _, stream in objects.values():
        current: dict[bytes, str] = {}
        for op in re.finditer(rb"/([A-Za-z0-9+_-]+) [\d.]+ Tf|\[(.*?)\] ?TJ|<([0-9a-fA-F]*)> ?Tj", stream, re.S):
            if op.group(1):
                current = fonts.get(op.group(1), {})
                continue
            hexes = re.findall(rb"<([0-9a-fA-F]+)>", op.group(2)) if op.group(2) is not None else [op.group(3)]
            lines.append("".join(current.get(chunk[i:i + 4].lower(), "")
                                 for chunk in hexes for i in range(0, len(chunk), 4)))
    return "\n".join(lines)
