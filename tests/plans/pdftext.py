"""Text out of a PDF, for asserting on exports: `pdftotext` (reading order, not -layout: a table cell's wrapped
lines stay together) when installed, else a small decoder that
reads WeasyPrint's output (Type0 fonts with ToUnicode CMaps, hex strings in TJ/Tj)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
# A TJ array holds no "]" (WeasyPrint writes hex strings): "[] 0 d" (no dash, as an SVG line sets) is not one.
TOKENS = re.compile(rb"/([A-Za-z0-9+_-]+)\s+[\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj|\bTm\b|\bTd\b|\bT\*",
                    re.S)


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        return result.stdout.decode()
    return _decode(pdf)


def _stream(body: bytes) -> bytes:
    match = STREAM.search(body)
    if not match:
        return b""
    data = match.group(1)
    length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", body[:match.start()])
    if length:  # the data may itself end in \r or \n: trust /Length, not the regex
        data = body[match.start(1):match.start(1) + int(length.group(1))]
    try:
        return zlib.decompress(data)
    except zlib.error:
        return data


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Every indirect object, including those packed in object streams (/Type /ObjStm)."""
    objects = {int(num): body for num, body in OBJECT.findall(pdf)}
    for body in list(objects.values()):
        head = body.split(b"stream", 1)[0]
        if b"/ObjStm" not in head:
            continue
        first = int(re.search(rb"/First\s+(\d+)", head).group(1))
        data = _stream(body)
        numbers = [int(n) for n in data[:first].split()]
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        for i, (num, offset) in enumerate(pairs):
            end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(data)
            objects.setdefault(num, data[first + offset:end])
    return objects


def _decode(pdf: bytes) -> str:
    objects = _objects(pdf)
    cmaps = {}
    for num, body in objects.items():
        ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", body)
        if ref and int(ref.group(1)) in objects:
            cmaps[num] = _cmap(_stream(objects[int(ref.group(1))]))
    fonts = {}
    for body in objects.values():
        for name, num in re.findall(rb"/([A-Za-z0-9+_-]+)\s+(\d+) 0 R", body):
            if int(num) in cmaps:
                fonts[name] = cmaps[int(num)]
    out: list[str] = []
    for body in objects.values():
        content = _stream(body)
        if b"BT" not in content:
            continue
        font: dict[int, str] = {}
        for match in TOKENS.finditer(content):
            if match.group(1):
                font = fonts.get(match.group(1), {})
            elif match.group(2) is not None or match.group(3):
                hexes = re.findall(rb"<([0-9a-fA-F]+)>", match.group(2)) if match.group(2) is not None \
                    else [match.group(3)]
                for h in hexes:
                    for i in range(0, len(h), 4):
                        out.append(font.get(int(h[i:i + 4], 16), ""))
            else:
                out.append("\n")
    return "".join(out)
