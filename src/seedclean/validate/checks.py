"""Custom Pandera checks, registered so they survive serialization.

Pandera writes only registered checks to JSON/YAML, and *silently drops*
unknown ones when a schema is loaded in a process that has not registered
them (see ``schemas.load_schema``, which imports this module first). Each
check's name says what it guards. Column checks take the column; the
dataframe checks take the table and the names of the columns they compare.
"""

from __future__ import annotations

import re

import pandas as pd
from pandera import extensions

_MOJIBAKE = r"Ã[\x80-\xbf]|â€|Â[\xa0-\xbf]|\ufffd"


def _register(*statistics: str):
    return extensions.register_check_method(statistics=list(statistics), check_type="vectorized")


# column checks: artifacts left in the cleaned text (counted at normalize time)


@_register()
def no_mojibake_left(series: pd.Series) -> pd.Series:
    """ftfy finds no mojibake sequence in the cleaned text."""
    return series == 0


@_register()
def no_boilerplate_left(series: pd.Series) -> pd.Series:
    """No line of the cleaned text matches a shipped boilerplate rule."""
    return series == 0


@_register()
def no_split_words(series: pd.Series) -> pd.Series:
    """No word broken by layout hyphenation that the lexicon would join."""
    return series == 0


@_register()
def title_not_repeated_in_body(series: pd.Series) -> pd.Series:
    """The headline is not printed again as a line of the body."""
    return ~series.astype(bool)


@_register()
def title_has_no_mojibake(series: pd.Series) -> pd.Series:
    """No cp1252/latin-1 reading of UTF-8 (Ã©, â€™) nor U+FFFD in the headline."""
    return series.isna() | ~series.fillna("").str.contains(_MOJIBAKE, regex=True)


@_register()
def relative_txt_path(series: pd.Series) -> pd.Series:
    """A path under the input folder: relative, no '..', ending in .txt."""
    # one pass over a million paths, not three: no leading '/', no '..' segment, '.txt' at the end
    return series.astype(str).str.fullmatch(_RELATIVE_TXT, flags=re.DOTALL)


_RELATIVE_TXT = r"(?!/)(?!(?:.*/)?\.\.(?:/|$)).*\.txt"


@_register()
def reason_code(series: pd.Series) -> pd.Series:
    """Edit reasons are short snake_case codes that reports can group by."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # each label once, not each row (34M edits)
        labels = pd.Series([*series.cat.categories.astype(str), "nan"])  # a missing value reads "nan", as astype(str)
        codes = series.cat.codes.to_numpy().copy()
        codes[codes < 0] = len(labels) - 1
        ok = labels.str.fullmatch(r"[a-z][a-z0-9_]{1,40}").to_numpy(dtype=bool)
        return pd.Series(ok[codes], index=series.index)
    return series.astype(str).str.fullmatch(r"[a-z][a-z0-9_]{1,40}")


# dataframe checks


@_register("paragraphs", "sentences", "words", "characters")
def counts_consistent(df: pd.DataFrame, *, paragraphs: str, sentences: str, words: str, characters: str) -> pd.Series:
    """paragraphs <= sentences <= words <= characters, and an empty body has
    no paragraphs: counts that contradict each other mean a counting bug."""
    p, s, w, c = df[paragraphs], df[sentences], df[words], df[characters]
    return (p <= s) & (s <= w) & (w <= c) & ((c > 0) | (p == 0))


@_register("counted", "logged")
def edit_counts_match_log(df: pd.DataFrame, *, counted: str, logged: str) -> pd.Series:
    """A document's edit counts equal its rows in edits.jsonl."""
    return df[counted] == df[logged]


@_register("share", "raw_words", "words")
def removed_share_consistent(df: pd.DataFrame, *, share: str, raw_words: str, words: str) -> pd.Series:
    """The share of words removed is in [0, 1] and zero when nothing was."""
    return df[share].between(0, 1) & ((df[share] == 0) | (df[raw_words] > 0))


@_register("start", "end", "raw_start", "raw_end")
def spans_ordered(df: pd.DataFrame, *, start: str, end: str, raw_start: str, raw_end: str) -> pd.Series:
    """0 <= start <= end, in the step's input and in the raw input."""
    return (df[start] >= 0) & (df[start] <= df[end]) & (df[raw_start] >= 0) & (df[raw_start] <= df[raw_end])


@_register("start", "end", "before_chars")
def span_matches_before(df: pd.DataFrame, *, start: str, end: str, before_chars: str) -> pd.Series:
    """The logged ``before`` text is exactly the span it replaced."""
    return (df[end] - df[start]) == df[before_chars]


@_register("kind", "before_chars", "after_chars")
def kind_matches_text(df: pd.DataFrame, *, kind: str, before_chars: str, after_chars: str) -> pd.Series:
    """delete: text -> nothing; insert: nothing -> text; replace: text -> text;
    flag: changes nothing."""
    k = df[kind] if isinstance(df[kind].dtype, pd.CategoricalDtype) else df[kind].astype(str)  # == on codes
    b, a = df[before_chars], df[after_chars]
    return (
        ((k == "delete") & (b > 0) & (a == 0))
        | ((k == "insert") & (b == 0) & (a > 0))
        | ((k == "replace") & (b > 0) & (a > 0))
        | ((k == "flag") & (a == 0))
    )


def registered() -> list[str]:
    """Names of the checks this module registers."""
    return [
        name
        for name, value in globals().items()
        if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
        if name != "registered"
    ]
