"""Comparing Vietnamese text the way a reader does: without letter case, accents or punctuation."""

from __future__ import annotations

import re
import unicodedata


def plain(text: str) -> str:
    """Text compared without letter case, Vietnamese accents or punctuation ('Sở, ban, ngành' = 'so ban nganh')."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def slug(text: str, max_length: int = 64) -> str:
    """An identifier made of a name: lowercase letters without accents, digits and '-'
    ('Hà Nội' -> 'ha-noi'), at most `max_length` characters."""
    return plain(text).replace(" ", "-")[:max_length].strip("-")
