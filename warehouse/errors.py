"""The one shape of an error told to a person: str() in English, .reason_zh in Chinese."""
from __future__ import annotations


class BilingualError(ValueError):
    """Something that cannot be done, said in both languages: str() is English, .reason_zh is Chinese."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.reason_zh = zh
