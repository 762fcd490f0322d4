"""extract/article.py's hand-spelled pieces of pattern, checked against
what they stand for."""

from __future__ import annotations

import sys

import re2

from seedclean.extract import article


def test_space_class_is_pythons_whitespace_over_all_of_unicode() -> None:
    # RE2's \s is ASCII only; _SPACE spells out Python's \s (str.isspace) so
    # credits match around a no-break or ideographic space as Python would
    space = re2.compile(article._SPACE)
    matched = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and space.fullmatch(chr(c))]
    expected = [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert matched == expected
    assert 0xA0 in matched and 0x3000 in matched and 0x200B not in matched
