"""Mutated real articles for property tests and the fuzzing session.

Real articles (seeds/ and the dev corpora) are cut, spliced, re-encoded and
sprinkled with the characters that break text tools; :func:`check` states
what must hold for any input bytes whatsoever.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

from seedclean.document import clean_bytes
from seedclean.errors import InputFileError
from seedclean.normalize.pipeline import normalize
from seedclean.normalize.rules import load_rules
from seedclean.write.restore import restore_text

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()

NASTY = [
    "\r",
    "\r\n",
    "\n",
    "\n\n\n",
    "\x00",
    "\x07",
    "\x1b",
    "\x0b",
    "\x0c",
    "\t",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u00ad",
    "\u200b",
    "\u200d",
    "\u00a0",
    "\u3000",
    "\u202f",
    " ",
    "   ",
    "-",
    "-\n",
    "\u2010",
    "occu-\npation",
    "nego-tiate",
    "e-mail",
    "Ã©",
    "â€™",
    "â€œ",
    "Ã",
    "Â",
    "\u0301",
    "e\u0301",
    "\ufffd",
    "\U0001f600",
    "\ud7ff",
    "Share",
    "Connect with us",
    "Leave a Reply",
    "Check Also",
    "Source link",
    "©",
    " | World News",
    "(AP)",
    "(Photo: Reuters)",
    "Published",
    "\n\nWorld\n\n",
    "Related Articles",
    # long runs, where a regex tried from every position turns quadratic
    " " * 3000,
    "\u3000" + " " * 3000 + "x",
    "\n" * 3000 + "x",
    "-" * 2000,
    "(" * 2000,
    "a" * 5000,
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252", "latin-1"]


@lru_cache(maxsize=1)
def articles() -> tuple[bytes, ...]:
    files = sorted((ROOT / "seeds").glob("*.txt"))
    corpora = ROOT.parent / "shared" / "corpora"
    if corpora.is_dir():
        found = sorted(corpora.rglob("*.txt"))
        files += found[:: max(1, len(found) // 150)]  # a spread of sites, extractors and damage
    return tuple(path.read_bytes() for path in files)


def _insert(data: bytes, at: float, piece: bytes) -> bytes:
    cut = int(len(data) * at)
    return data[:cut] + piece + data[cut:]


def _mutate(data: bytes, mutation: tuple) -> bytes:
    kind, at, arg = mutation
    if kind == "text":
        return _insert(data, at, arg.encode("utf-8", "surrogatepass"))
    if kind == "bytes":
        return _insert(data, at, arg)
    start = int(len(data) * at)
    if kind == "delete":
        return data[:start] + data[start + arg :]
    if kind == "duplicate":
        return data[: start + arg] + data[start : start + arg] + data[start + arg :]
    if kind == "truncate":
        return data[:start]
    if kind == "line_ends":
        return data.replace(b"\n", arg)
    if kind == "encode":
        try:
            return data.decode("utf-8").encode(arg)
        except (UnicodeDecodeError, UnicodeEncodeError):
            return data
    raise AssertionError(kind)


_fraction = st.floats(min_value=0, max_value=1)
_mutation = st.one_of(
    st.tuples(st.just("text"), _fraction, st.one_of(st.sampled_from(NASTY), st.text(max_size=12))),
    st.tuples(st.just("text"), _fraction, st.lists(st.sampled_from(NASTY), max_size=6).map("".join)),
    st.tuples(st.just("bytes"), _fraction, st.binary(max_size=6)),
    st.tuples(st.just("bytes"), _fraction, st.sampled_from(["’", "é", "—", "€"]).map(lambda c: c.encode("cp1252"))),
    st.tuples(st.sampled_from(["delete", "duplicate"]), _fraction, st.integers(1, 400)),
    st.tuples(st.just("truncate"), _fraction, st.none()),
    st.tuples(st.just("line_ends"), _fraction, st.sampled_from([b"\r\n", b"\r", b"\n\n", b" \n"])),
    st.tuples(st.just("encode"), _fraction, st.sampled_from(ENCODINGS)),
)


@st.composite
def mutated_articles(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(articles()))
    for mutation in draw(st.lists(_mutation, max_size=10)):
        data = _mutate(data, mutation)
    return data


def check(data: bytes) -> None:
    """What must hold for any bytes: no crash but a reported input error;
    restore gives the bytes back; cleaning is deterministic and idempotent."""
    try:
        document = clean_bytes(data, "doc", "doc.txt", RULES)
    except InputFileError as exc:
        assert exc.kind in {"binary", "bad_encoding", "unknown_encoding"} and exc.message
        return
    record = document.record
    raw_text = restore_text(document.text, document.edit_rows)
    assert bytes.fromhex(record["bom"]) + raw_text.encode(record["encoding"]) == data, "restore differs"
    again = clean_bytes(data, "doc", "doc.txt", RULES)
    same = (again.text, again.record, again.edit_rows) == (document.text, record, document.edit_rows)
    assert same, "not deterministic"
    twice = normalize(document.text, RULES)
    assert twice.text == document.text, "not idempotent"
    assert [edit for edit in twice.edits if edit.kind != "flag"] == [], "cleaning clean text changed it"
    assert "\r" not in document.text and "\x00" not in document.text and "\ufeff" not in document.text
    assert document.text == "" or document.text.endswith("\n")
