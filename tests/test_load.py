"""The loader: every YAML problem becomes one positioned error, never an exception."""

from __future__ import annotations

from umm_survey.load import MAX_BYTES, parse_bytes, parse_text


def messages(doc) -> list[str]:
    return [str(d) for d in doc.diagnostics]


def test_plain_mapping_loads_with_yaml11_values_kept_visible():
    doc = parse_text("a: text\nb: 2410.10000\nc: no\nd: '2410.10000'\ne: 2024-05-01\n", "x.yaml")
    assert doc.ok
    assert doc.data == {"a": "text", "b": 2410.1, "c": False, "d": "2410.10000", "e": "2024-05-01"}


def test_syntax_error_points_at_the_problem():
    doc = parse_text("a: [1, 2\nb: 3\n", "x.yaml")
    assert len(doc.diagnostics) == 1
    d = doc.diagnostics[0]
    assert (d.path, d.line, d.severity) == ("x.yaml", 2, "error")
    assert d.message.startswith("YAML syntax error:")


def test_tab_indentation_is_named():
    doc = parse_text("a:\n\tb: 1\n", "x.yaml")
    assert messages(doc) == ["x.yaml:2:1: error: tab character: YAML indentation must use spaces"]


def test_duplicate_keys_at_any_depth_name_both_lines():
    doc = parse_text("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "x.yaml")
    assert messages(doc) == [
        "x.yaml:4:3: error: duplicate key 'c' (first at line 3); YAML would silently keep only the last one",
        "x.yaml:5:1: error: duplicate key 'a' (first at line 1); YAML would silently keep only the last one",
    ]


def test_anchors_and_aliases_are_rejected_without_expanding_a_bomb():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doc = parse_text(bomb, "bomb.yaml")
    assert not doc.ok
    assert all("anchors and aliases" in d.message for d in doc.diagnostics)
    # one error per line that defines an anchor or uses an alias, at the first of them
    assert [(d.line, d.col) for d in doc.diagnostics] == [(1, 4)] + [(n, 4) for n in range(2, 10)]


def test_deep_nesting_is_an_error_not_a_crash():
    deep = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    doc = parse_text(deep, "deep.yaml")
    assert not doc.ok
    assert len(doc.diagnostics) == 1
    moderate = "a: " + "[" * 40 + "]" * 40 + "\n"
    doc = parse_text(moderate, "deep.yaml")
    assert [d.message for d in doc.diagnostics] == [
        "nesting is too deep; records may nest at most 32 levels"
    ]


def test_bom_non_utf8_empty_list_and_oversize():
    assert messages(parse_bytes(b"\xef\xbb\xbfa: 1\n", "b.yaml")) == [
        "b.yaml:1:1: error: file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
    ]
    assert messages(parse_bytes(b"a: 1\nb: caf\xe9\n", "n.yaml")) == [
        "n.yaml:2:7: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    ]
    assert messages(parse_bytes(b"# only a comment\n", "e.yaml")) == [
        "e.yaml:1:1: error: file is empty; a record is a mapping of keys"
    ]
    assert messages(parse_bytes(b"- a\n- b\n", "l.yaml")) == [
        "l.yaml:1:1: error: a record must be a mapping of keys, but this file is a list"
    ]
    big = parse_bytes(b"a: " + b"x" * MAX_BYTES + b"\n", "big.yaml")
    assert len(big.diagnostics) == 1 and "at most" in big.diagnostics[0].message


def test_custom_tags_are_rejected():
    doc = parse_text("a: !!python/object:os.system x\n", "t.yaml")
    assert messages(doc) == [
        "t.yaml:1:4: error: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in records"
    ]
