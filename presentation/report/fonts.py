"""Finding a Simplified Chinese font on this machine to embed in the PDF (Debian: apt-get install fonts-noto-cjk).

fonts-noto-cjk ships OpenType collections (NotoSansCJK-Regular.ttc: JP, KR, SC, TC, HK faces, CFF outlines);
fpdf2 2.8 loads a face of a collection with add_font(..., collection_font_number=i), so the SC face is
looked up by name rather than assumed to sit at a fixed index.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
             "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts"]
NAME_HINTS = ("cjk", "han", "simsun", "simhei", "wqy", "notosanssc", "notoserifsc")
SUFFIXES = (".ttc", ".otc", ".otf", ".ttf")
# (family, bold) in order of preference: a serif (宋体-like) body, a sans (黑体-like) bold.
BODY_FAMILIES = ["Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "Source Han Sans SC",
                 "Noto Sans SC", "SimSun", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"]
BOLD_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Noto Serif CJK SC", "SimHei"]


class NoCjkFont(RuntimeError):
    """No Simplified Chinese font was found to embed."""


@dataclass(frozen=True)
class FontFace:
    """One face in a font file: the file, its index in a collection, family and style names."""

    path: str
    index: int
    family: str
    style: str

    @property
    def bold(self) -> bool:
        """Whether the face is a bold weight."""
        return "bold" in self.style.lower() or "heavy" in self.style.lower() or "black" in self.style.lower()


def _faces(path: Path) -> list[FontFace]:
    """The faces of a font file (several for a .ttc collection)."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            fonts = TTCollection(str(path), lazy=True).fonts
        else:
            fonts = [TTFont(str(path), lazy=True)]
    except Exception:
        return []
    out = []
    for i, font in enumerate(fonts):
        names = font["name"]
        family = names.getDebugName(16) or names.getDebugName(1) or ""
        style = names.getDebugName(17) or names.getDebugName(2) or ""
        if family.endswith(" Bold"):
            family, style = family[:-5], "Bold"
        out.append(FontFace(str(path), i, family, style))
    return out


@functools.lru_cache(maxsize=4)
def installed_cjk_faces(dirs: tuple[str, ...] = tuple(FONT_DIRS)) -> list[FontFace]:
    """Faces of the font files whose names suggest Chinese coverage, in the usual font folders."""
    found = []
    for folder in dirs:
        root = Path(os.path.expanduser(folder))
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            name = path.name.lower()
            if path.suffix.lower() in SUFFIXES and any(h in name for h in NAME_HINTS):
                found += _faces(path)
    return found


def _pick(faces: list[FontFace], families: list[str], bold: bool) -> FontFace | None:
    for family in families:
        for face in faces:
            if face.family == family and face.bold == bold:
                return face
    return None


def cjk_fonts(font_path: str | Path | None = None) -> tuple[FontFace, FontFace]:
    """(regular, bold) faces to embed: from font_path if given, else the best installed Simplified Chinese fonts."""
    if font_path:
        faces = _faces(Path(font_path))
        if not faces:
            raise NoCjkFont(f"cannot read the font file {font_path}")
        sc = [f for f in faces if f.family.endswith(" SC")] or faces
        return sc[0], sc[0]
    faces = installed_cjk_faces()
    regular = _pick(faces, BODY_FAMILIES, bold=False)
    if regular is None:
        raise NoCjkFont("no Simplified Chinese font found to embed in the PDF; on Debian/Ubuntu: "
                        "apt-get install fonts-noto-cjk (or pass font_path)")
    return regular, _pick(faces, BOLD_FAMILIES, bold=True) or regular
