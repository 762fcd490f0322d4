"""The Python API a notebook user calls."""

from __future__ import annotations

from pathlib import Path

import pytest

import seedclean
from conftest import SEEDS
from seedclean import Config, clean_document, clean_folder, clean_text, explain_text, restore


def test_clean_text_repairs_and_removes() -> None:
    text = "Gaza talks resume | World News\n\nNegotiators met to nego-tiate a deal.\nSource link\n"
    assert clean_text(text) == "Gaza talks resume\n\nNegotiators met to negotiate a deal.\n"


def test_clean_text_with_a_step_switched_off() -> None:
    assert "nego-tiate" in clean_text("Negotiators met to nego-tiate a deal.", Config(steps={"dehyphenate": False}))


def test_explain_text_lists_each_edit_with_step_and_reason() -> None:
    result = explain_text("Negotiators met to nego-tiate a deal.\n\nLeave a Reply\n")
    assert [(e.step, e.reason) for e in result.edits] == [
        ("dehyphenate", "layout_hyphen"),
        ("boilerplate", "comment_form"),
    ]


def test_clean_document_from_a_path() -> None:
    document = clean_document(SEEDS / "002_d60c0d61afcbb3f2.txt")
    assert document.title == "Hamas says it is ready to resume Gaza truce talks ‘immediately’"
    assert not document.body.startswith(document.title)
    assert document.record["edit_counts"]["delete"] >= 5
    assert all(row["doc"] == "document" for row in document.edit_rows)


def test_clean_folder_and_restore(tmp_path: Path) -> None:
    summary = clean_folder(SEEDS, tmp_path / "out")
    assert summary.documents == 5 and summary.failed == 0
    restored = restore(tmp_path / "out", tmp_path / "back")
    assert restored.restored == 5 and restored.mismatched == []


def test_version_is_exported() -> None:
    assert seedclean.__version__.count(".") == 2


def test_a_lone_surrogate_is_a_clear_error_not_an_encoding_traceback() -> None:
    # what bytes that are not UTF-8 become under errors="surrogateescape"
    text = b"Talks resume \xe9 in Geneva\nLeave a Reply\n".decode("utf-8", errors="surrogateescape")
    for function in (clean_text, explain_text, clean_document):
        with pytest.raises(ValueError, match=r"lone surrogate \('\\udce9' at offset 13\).*errors='replace'"):
            function(text)


def test_bytes_given_to_clean_text_point_to_clean_document() -> None:
    with pytest.raises(TypeError, match="clean_text takes a str, not bytes; pass bytes to clean_document"):
        clean_text(b"Talks resume in Geneva\n")  # type: ignore[arg-type]
