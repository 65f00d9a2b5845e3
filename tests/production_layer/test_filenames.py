"""Filenames keep every readable character and lose everything that is not safe to store or show."""

import json

import pytest
from production_layer.filenames import clean_filename


@pytest.mark.parametrize(
    "name",
    [
        "report.pdf",
        "Résumé – 2026 (final).docx",
        "日本語のファイル.txt",
        "Ελληνικά και русский.odt",
        "عربي.txt",  # right-to-left letters stay: only the invisible overrides go
        "नमस्ते.txt",
        "cat 🐈 and 👩\u200d💻 coder.png",  # the zero-width joiner keeps the emoji sequence
        "می\u200cخواهم.txt",  # Persian needs the zero-width non-joiner
    ],
)
def test_readable_names_are_kept_as_they_are(name):
    assert clean_filename(name) == name


@pytest.mark.parametrize(
    "name,cleaned",
    [
        ("invoice\u202etxt.exe", "invoicetxt.exe"),  # right-to-left override: would show "invoiceexe.txt"
        ("\u2066\u2067\u2068a\u2069\u202a\u202b\u202c\u202d.txt", "a.txt"),  # isolates and embeddings
        ("left\u200e\u200fmark\u061c.txt", "leftmark.txt"),  # direction marks, Arabic letter mark
        ("zero\u200bwidth\ufeff.txt", "zerowidth.txt"),  # zero-width space, byte-order mark
        ("tag\U000e0041\U000e007f.txt", "tag.txt"),  # tag characters
        ("bell\x07null\x00esc\x1b[31m.txt", "bellnullesc[31m.txt"),
        ("del\x7fc1\x85next\x9b.txt", "delc1 next.txt"),  # DEL, NEL (a line break), a C1 control
        ("two\nlines\r\n\tand tab.txt", "two lines and tab.txt"),
        ("line\u2028para\u2029sep.txt", "line para sep.txt"),
        ("   padded   name   .txt  ", "padded name .txt"),
        ("private\ue000\U000f0000use.txt", "privateuse.txt"),
        ("non\ufdd0char\uffff\U0001fffe.txt", "nonchar.txt"),
        ("e\u0301te\u0301.txt", "été.txt"),  # one stored form (NFC) for one visible name
    ],
)
def test_unsafe_code_points_are_removed_and_spaces_collapsed(name, cleaned):
    assert clean_filename(name) == cleaned


def test_lone_surrogates_from_a_json_body_are_removed():
    name = json.loads('"a\\ud800b\\udfffc.txt"')
    assert clean_filename(name) == "abc.txt"
    assert clean_filename(name).encode("utf-8")  # encodable, unlike the input


def test_a_surrogate_pair_written_in_json_is_one_character_and_kept():
    assert clean_filename(json.loads('"\\ud83d\\ude00.png"')) == "😀.png"


@pytest.mark.parametrize("name", ["", "   ", "\u202e\u200f", "\x00\x01", "\ud800"])
def test_names_with_nothing_visible_clean_to_empty(name):
    assert clean_filename(name) == ""
