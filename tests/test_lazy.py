"""RE2 patterns compiled on first use answer as compiled ones do."""

from __future__ import annotations

import re2

from seedclean.lazy import LazyRE2
from seedclean.normalize.rules import _re2_options, to_re2

SOURCE = to_re2(r"follow us(?: on [\w .&+]{1,40})?|\d+ comments?")
TEXTS = ["Follow us on Café Société", "follow us", "12 Comments", "no", "", "a\x00b\uffff😀"]


def test_nothing_is_compiled_until_asked_and_then_the_answers_are_re2s() -> None:
    lazy = LazyRE2(SOURCE, _re2_options())
    raw = lazy._regexp  # what the rules keep when built: still nothing compiled
    assert lazy._pattern is None
    eager = re2.compile(SOURCE, _re2_options())
    for text in TEXTS:
        data = text.encode("utf-8")
        assert raw.Match(re2._Anchor.UNANCHORED, data, 0, len(data)) == eager._regexp.Match(
            re2._Anchor.UNANCHORED, data, 0, len(data)
        )
        assert (lazy.fullmatch(text) is None) == (eager.fullmatch(text) is None)
        assert (lazy.search(text) is None) == (eager.search(text) is None)
    assert lazy._pattern is not None
    assert lazy.pattern == eager.pattern
