"""BibTeX entries for every record with a paper, built with bibtexparser v2.

bibtexparser writes field values exactly as given (shared/TRAPS.md), so every string from
a record is turned into safe LaTeX here before it reaches the library: special characters
become text commands, braces are balanced by construction, control characters are
dropped, and capitals that must survive a bibliography style are protected by braces.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import UnicodeToLatexEncoder

from ..catalog import Catalog
from ..schema import Paper

_SPECIALS = {
    "\\": r"\textbackslash{}",
    # not \{ and \}: BibTeX counts those braces too, so an unbalanced one ends the field
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}&%#_$~^]")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# inline math already in a title, e.g. UniCode$^2$: kept when it is plain (no commands)
_MATH_RE = re.compile(r"\$[A-Za-z0-9^_{}+\-*' ]{1,20}\$")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "for",
        "to",
        "and",
        "with",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "via",
        "towards",
        "toward",
        "into",
        "beyond",
        "over",
        "under",
        "your",
        "our",
        "we",
        "do",
        "does",
        "can",
    ]
)
_MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]  # standard macros
_JOURNALS = ("TPAMI", "TMLR", "IJCV", "JMLR", "TOG", "TIP", "PAMI", "Nature", "Science")
logging.getLogger("pylatexenc").setLevel(logging.ERROR)  # unknown characters are expected
_ASCII_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy="unihex"
)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def latex_text(value: str, *, ascii_only: bool = False) -> str:
    """Plain text as LaTeX that shows exactly that text; plain inline math is kept."""
    value = _CONTROL_RE.sub("", " ".join(value.split()))
    out: list[str] = []
    pos = 0
    for m in _MATH_RE.finditer(value):
        if not _balanced(m.group()[1:-1]):
            continue
        out.append(_escape(value[pos : m.start()], ascii_only))
        out.append(m.group())
        pos = m.end()
    out.append(_escape(value[pos:], ascii_only))
    return "".join(out)


def _escape(text: str, ascii_only: bool) -> str:
    text = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group()], text)
    if ascii_only and not text.isascii():
        text = _ASCII_ENCODER.unicode_to_latex(text)
    return text


def _needs_protection(word: str, name_part: bool) -> bool:
    letters = [c for c in word if c.isalpha()]
    if name_part:  # the model's name before the colon keeps its exact form
        return any(c.isupper() for c in letters)
    return any(c.isupper() for c in letters[1:])  # acronyms and CamelCase: VQGAN, UniTok


def title_field(title: str, *, ascii_only: bool = False) -> str:
    """The title with capitals that must survive (names, acronyms, CamelCase) in braces."""
    name_end = title.find(": ")
    words = title.split(" ")
    out = []
    offset = 0
    for word in words:
        name_part = 0 <= offset < name_end if name_end > 0 else False
        offset += len(word) + 1
        text = latex_text(word, ascii_only=ascii_only)
        if word and _needs_protection(word, name_part):
            text = "{" + text + "}"
        out.append(text)
    return " ".join(w for w in out if w)


# a word that makes an author an organisation ("Chameleon Team", "Inclusion AI"), which
# BibTeX must not split into first and last names
_ORGANISATION_WORDS = frozenset(
    [
        "team",
        "ai",
        "lab",
        "labs",
        "laboratory",
        "group",
        "inc",
        "inc.",
        "corporation",
        "research",
        "foundation",
        "consortium",
        "project",
        "collaboration",
        "committee",
    ]
)


def is_organisation(name: str) -> bool:
    return any(word.casefold() in _ORGANISATION_WORDS for word in name.split()[1:])


def _person(name: str, ascii_only: bool) -> str:
    """``Last, First`` for a person; a single-word or organisation name stays one unit."""
    parts = name.split()
    if len(parts) < 2 or is_organisation(name):
        return "{" + latex_text(name, ascii_only=ascii_only) + "}"
    # a lowercase particle after the first name starts the last name: Bob de la Cruz
    split = next((i for i in range(1, len(parts) - 1) if parts[i][:1].islower()), len(parts) - 1)
    first, last = " ".join(parts[:split]), " ".join(parts[split:])
    return f"{latex_text(last, ascii_only=ascii_only)}, {latex_text(first, ascii_only=ascii_only)}"


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def base_key(paper: Paper, fallback: str) -> str:
    """first author's last name + year + first significant title word, e.g. wu2024janus."""
    when = paper.year_month()
    return _base_key(
        paper.authors[0] if paper.authors else "", when[0] if when else "", paper.title, fallback
    )


@functools.lru_cache(maxsize=65536)
def _base_key(first_author: str, year: str, title: str, fallback: str) -> str:
    last = _ascii_word(first_author.split()[-1]) if first_author else ""
    word = ""
    for raw in title.split():
        candidate = _ascii_word(raw)
        if candidate and candidate not in _STOPWORDS:
            word = candidate
            break
    key = f"{last or _ascii_word(fallback) or 'anon'}{year}{word}"
    return key[:60]


@dataclass(frozen=True)
class Cited:
    kind: str  # models | benchmarks | datasets
    record_id: str
    key: str
    entry: Entry


def assign_keys(catalog: Catalog) -> dict[tuple[str, str], str]:
    """A unique key per record with a paper.

    Records sharing a base key are ordered by (date added, paper date, kind, id); the first
    keeps the base key and the others get b, c, ... appended. A record added later never
    takes a key an earlier record has, so adding records changes no existing key.
    """
    groups: dict[str, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    for kind, record in catalog.records():
        if record.paper is None:
            continue
        key = base_key(record.paper, record.id)
        groups[key].append((record.added, record.paper.date or "", kind, record.id, key))
    keys: dict[tuple[str, str], str] = {}
    taken = set(groups)
    for base, members in groups.items():
        members.sort()
        suffixes = iter("bcdefghijklmnopqrstuvwxyz")
        for n, (_, _, kind, rid, _) in enumerate(members):
            key = base
            if n:
                key = base + next(suffixes)
                while key in taken:
                    key = base + next(suffixes)
                taken.add(key)
            keys[(kind, rid)] = key
    return keys


def _venue_field(venue: str) -> str:
    return "journal" if any(j.lower() in venue.lower() for j in _JOURNALS) else "booktitle"


def make_entry(key: str, paper: Paper, *, name: str = "", ascii_only: bool = False) -> Entry:
    fields: list[Field] = [
        Field("title", "{" + title_field(paper.title, ascii_only=ascii_only) + "}")
    ]
    if paper.authors:
        people = " and ".join(_person(a, ascii_only) for a in paper.authors)
        fields.append(Field("author", "{" + people + "}"))
    when = paper.year_month()
    if when:
        fields.append(Field("year", "{" + when[0] + "}"))
        if when[1]:
            fields.append(Field("month", _MONTHS[when[1] - 1]))
    entry_type = "misc"
    if paper.venue and paper.authors:
        vf = _venue_field(paper.venue)
        entry_type = "article" if vf == "journal" else "inproceedings"
        fields.append(Field(vf, "{" + latex_text(paper.venue, ascii_only=ascii_only) + "}"))
    elif paper.venue:
        # article and inproceedings need authors; until they are known, a misc entry
        fields.append(
            Field("howpublished", "{" + latex_text(paper.venue, ascii_only=ascii_only) + "}")
        )
    if not paper.authors:
        fields.append(Field("key", "{" + latex_text(name or key, ascii_only=ascii_only) + "}"))
    if paper.arxiv:
        fields.append(Field("eprint", "{" + paper.arxiv + "}"))
        fields.append(Field("archivePrefix", "{arXiv}"))
        if paper.primary_class:
            fields.append(Field("primaryClass", "{" + paper.primary_class + "}"))
    if paper.doi:
        fields.append(Field("doi", "{" + latex_text(paper.doi) + "}"))
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None)
    if url:
        fields.append(Field("url", "{" + _url(str(url)) + "}"))
    return Entry(entry_type, key, fields)


def _url(url: str) -> str:
    # url fields are read verbatim by both tools; only braces and % could break them
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def entries(
    catalog: Catalog,
    selected: Iterable[tuple[str, str]] | None = None,
    *,
    ascii_only: bool = False,
    keys: dict[tuple[str, str], str] | None = None,
) -> list[Cited]:
    """Entries for the selected records (default: all with a paper), sorted by key.

    ``keys`` (from :func:`assign_keys`) can be passed in when many selections are made.
    """
    keys = assign_keys(catalog) if keys is None else keys
    wanted = set(selected) if selected is not None else set(keys)
    out = []
    for kind, rid in sorted(wanted):
        key = keys.get((kind, rid))
        if key is not None:
            paper = catalog.get(kind, rid).paper
            assert paper is not None
            record = catalog.get(kind, rid)
            entry = make_entry(key, paper, name=record.name, ascii_only=ascii_only)
            out.append(Cited(kind, rid, key, entry))
    return sorted(out, key=lambda c: c.key)


def to_bibtex(cited: list[Cited]) -> str:
    library = bibtexparser.Library([c.entry for c in cited])
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    # values are complete BibTeX already (braced, escaped); the library must not touch them
    text = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=fmt)
    return text.rstrip("\n") + "\n" if text.strip() else ""
