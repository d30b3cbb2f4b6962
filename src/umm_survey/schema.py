"""Record schemas (pydantic v2).

Strict everywhere: unknown keys are rejected and no type is coerced (a number is never
silently turned into text or back). Every architectural field may be absent: unknown stays
unknown. Values that the taxonomy in ``data/taxonomy.yaml`` defines (paradigm, encoding,
attention, modality, task kinds) are checked against it through the validation context, so
the taxonomy lives in data, not in code.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ARXIV_RE = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})")
VENUE_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})$")
DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
ARXIV_CLASS_RE = re.compile(r"[a-z-]+(\.[A-Za-z-]+)?")
PARAMS_RE = re.compile(r"\d+(?:\.\d+)?[KMBT](?:-A\d+(?:\.\d+)?[KMBT])?")

MAX_SLUG = 64
# Names that would collide with pages, folders or device files of the built site.
RESERVED_IDS = frozenset(
    {"index", "search", "assets", "404", "sitemap", "tags", "feed", "generated", "static"}
    | {"con", "prn", "aux", "nul", "clock"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)

# Bidirectional overrides and isolates reorder text invisibly; they have no place in a title.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


# an HTML tag, an event-handler attribute or a script URL inside plain text
_MARKUP_RE = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|\bon[a-z]{3,}\s*=|javascript:", re.IGNORECASE)


# the characters _check_text refuses: direction controls and control characters (category
# Cc is exactly U+0000-U+001F and U+007F-U+009F); a paragraph may hold newlines
_BAD_LINE_RE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
_BAD_PARAGRAPH_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
_URL_BAD_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def _check_text(value: str, *, multiline: bool) -> str:
    bad = (_BAD_PARAGRAPH_RE if multiline else _BAD_LINE_RE).search(value)
    if bad:
        ch = bad.group()
        if ch in _BIDI:
            raise ValueError(f"contains the invisible direction control U+{ord(ch):04X}")
        raise ValueError(f"contains the control character U+{ord(ch):04X}")
    if not value.strip():
        raise ValueError("must not be empty")
    markup = _MARKUP_RE.search(value)
    if markup:
        raise ValueError(
            f"contains markup '{markup.group()[:20]}'; records hold plain text (the site escapes it,"
            " but HTML or script in a record is never intended)"
        )
    return value


def _line(value: str) -> str:
    return _check_text(value, multiline=False)


def _paragraph(value: str) -> str:
    return _check_text(value, multiline=True)


def _slug(value: str) -> str:
    if len(value) > MAX_SLUG or not SLUG_RE.fullmatch(value):
        raise ValueError(
            f"'{value}' is not an id: use lowercase ASCII letters, digits and single dashes "
            f"(at most {MAX_SLUG} characters), e.g. 'janus-pro'"
        )
    if value in RESERVED_IDS:
        raise ValueError(f"'{value}' is reserved (it names a page or device); choose another id")
    return value


def _arxiv(value: str) -> str:
    m = ARXIV_RE.fullmatch(value)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(
            f"'{value}' is not an arXiv id of the form YYMM.NNNNN (no 'arXiv:' prefix, no version)"
        )
    return value


def _iso_date(value: str) -> str:
    try:
        parsed = _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date of the form YYYY-MM-DD") from None
    if parsed.isoformat() != value:
        raise ValueError(f"'{value}' is not a date of the form YYYY-MM-DD")
    return value


def _http_url(value: str) -> str:
    if _URL_BAD_RE.search(value):
        raise ValueError("a URL must not contain spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"only http(s) URLs are allowed, not '{value[:60]}'")
    return value


def _doi(value: str) -> str:
    if not DOI_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a DOI (10.NNNN/...)")
    return value


def _arxiv_class(value: str) -> str:
    if not ARXIV_CLASS_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not an arXiv category such as cs.CV")
    return value


def _params(value: str) -> str:
    if not PARAMS_RE.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a parameter count like '7B', '1.5B', '350M' or '16B-A3B' (total-active)"
        )
    return value


Line = Annotated[str, AfterValidator(_line)]
Paragraph = Annotated[str, AfterValidator(_paragraph)]
Slug = Annotated[str, AfterValidator(_slug)]
ArxivId = Annotated[str, AfterValidator(_arxiv)]
IsoDate = Annotated[str, AfterValidator(_iso_date)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Doi = Annotated[str, AfterValidator(_doi)]
ArxivClass = Annotated[str, AfterValidator(_arxiv_class)]
ParamCount = Annotated[str, AfterValidator(_params)]


def _in_taxonomy(value: str | None, info: ValidationInfo, group: str, what: str) -> str | None:
    """Check a value against the taxonomy passed in the validation context."""
    if value is None or not info.context or "taxonomy" not in info.context:
        return value
    allowed: list[str] = info.context["taxonomy"].ids(group)
    if value not in allowed:
        close = difflib.get_close_matches(value, allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"unknown {what} '{value}' (known: {', '.join(allowed)}){hint}")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- shared parts -------------------------------------------------------------------------


class Paper(Strict):
    title: Line
    authors: list[Line] = Field(default_factory=list)
    arxiv: ArxivId | None = None
    date: IsoDate | None = None
    date_note: Paragraph | None = None
    venue: Line | None = None
    doi: Doi | None = None
    url: HttpUrl | None = None
    primary_class: ArxivClass | None = None

    def year_month(self) -> tuple[str, int | None] | None:
        """Year and month first public: the recorded date, else what the arXiv id encodes,
        else the year that ends the venue ("ACL 2018"), with no month.

        An arXiv id YYMM.NNNNN is assigned in the month of submission, so a record whose
        exact day is unknown still has a citable year and month; a paper that was never on
        arXiv is cited with the year of the proceedings it appeared in.
        """
        if self.date:
            return self.date[:4], int(self.date[5:7])
        m = ARXIV_RE.fullmatch(self.arxiv or "")
        if m:
            return f"20{m.group(1)}", int(m.group(2))
        v = VENUE_YEAR_RE.search(self.venue or "")
        return (v.group(1), None) if v else None


class Links(Strict):
    code: HttpUrl | None = None
    weights: HttpUrl | None = None
    demo: HttpUrl | None = None
    project: HttpUrl | None = None
    data: HttpUrl | None = None


COVERABLE = (
    "paper",
    "links",
    "taxonomy",
    "modalities",
    "understanding_encoder",
    "generation_tokenizer",
    "attention",
    "backbone",
    "parameters",
    "base_model",
    "training_data",
    "results",
    "tasks",
    "size",
)
Coverable = Literal[
    "paper",
    "links",
    "taxonomy",
    "modalities",
    "understanding_encoder",
    "generation_tokenizer",
    "attention",
    "backbone",
    "parameters",
    "base_model",
    "training_data",
    "results",
    "tasks",
    "size",
]


class Source(Strict):
    """A document the facts were read in, and which fields it supports."""

    url: HttpUrl
    where: Line | None = None
    covers: list[Coverable] = Field(default_factory=list)


# --- models -------------------------------------------------------------------------------


class Classification(Strict):
    paradigm: str | None = None
    encoding: str | None = None

    @field_validator("paradigm")
    @classmethod
    def _paradigm(cls, v: str | None, info: ValidationInfo) -> str | None:
        return _in_taxonomy(v, info, "paradigms", "paradigm")

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None, info: ValidationInfo) -> str | None:
        return _in_taxonomy(v, info, "encodings", "encoding")


class Modalities(Strict):
    input: list[str] = Field(default_factory=list)
    output: list[str] = Field(default_factory=list)

    @field_validator("input", "output")
    @classmethod
    def _known(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for item in v:
            _in_taxonomy(item, info, "modalities", "modality")
        return v


class Encoder(Strict):
    name: Line
    kind: Literal["continuous", "discrete"] | None = None
    codebook_size: int | None = Field(default=None, gt=0)
    latent_channels: int | None = Field(default=None, gt=0)


class Tokenizer(Encoder):
    decoder: Line | None = None


class Backbone(Strict):
    name: Line
    params: ParamCount | None = None


class Result(Strict):
    benchmark: Slug
    value: float = Field(allow_inf_nan=False)  # YAML's .nan and .inf would break rankings
    scale: Literal["fraction", "percent", "score"]
    metric: Line
    split: Line | None = None
    setting: Line | None = None
    protocol: Line = "standard"
    table: Line
    reported_by: Literal["self", "third-party"]
    source: HttpUrl | None = None


SurveySection = Literal["text-image", "any-to-any", "applications"]


class Model(Strict):
    id: Slug
    name: Line
    aliases: list[Line] = Field(default_factory=list)
    survey_section: SurveySection | None = None
    paper: Paper
    links: Links = Field(default_factory=Links)
    taxonomy: Classification = Field(default_factory=Classification)
    modalities: Modalities | None = None
    understanding_encoder: Encoder | None = None
    generation_tokenizer: Tokenizer | None = None
    attention: str | None = None
    backbone: Backbone | None = None
    parameters: ParamCount | None = None
    base_model: Slug | None = None
    training_data: list[Slug] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    notes: Paragraph | None = None
    added: IsoDate

    @field_validator("attention")
    @classmethod
    def _attention(cls, v: str | None, info: ValidationInfo) -> str | None:
        return _in_taxonomy(v, info, "attention", "attention type")


# --- benchmarks and datasets --------------------------------------------------------------


RefKind = Literal["model", "benchmark", "dataset"]
REF_RE = re.compile(r"(model|benchmark|dataset):([a-z0-9]+(?:-[a-z0-9]+)*)")


def _ref(value: str) -> str:
    if not REF_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a reference like 'dataset:imgedit' or 'model:janus'")
    return value


Ref = Annotated[str, AfterValidator(_ref)]


class Resource(Strict):
    """What benchmarks and datasets share."""

    id: Slug
    name: Line
    tasks: list[str] = Field(default_factory=list)
    size: Line | None = None
    paper: Paper | None = None
    links: Links = Field(default_factory=Links)
    related: list[Ref] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    notes: Paragraph | None = None
    added: IsoDate


class Benchmark(Resource):
    # Metrics of this benchmark where a smaller number is the better one (FID, FVD, error rates);
    # leaderboards rank those boards from the lowest value up. Every other metric ranks highest first.
    lower_is_better: list[Line] = Field(default_factory=list)

    @field_validator("tasks")
    @classmethod
    def _tasks(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for item in v:
            _in_taxonomy(item, info, "benchmark_tasks", "benchmark task")
        return v


class Dataset(Resource):
    @field_validator("tasks")
    @classmethod
    def _tasks(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for item in v:
            _in_taxonomy(item, info, "dataset_tasks", "dataset task")
        return v


# --- the taxonomy itself ------------------------------------------------------------------


class Term(Strict):
    id: Slug
    name: Line
    description: Paragraph


class Taxonomy(Strict):
    """Names, descriptions and order of every category (``data/taxonomy.yaml``)."""

    paradigms: list[Term]
    encodings: list[Term]
    attention: list[Term]
    modalities: list[Term]
    benchmark_tasks: list[Term]
    dataset_tasks: list[Term]

    def ids(self, group: str) -> list[str]:
        return [t.id for t in getattr(self, group)]

    def term(self, group: str, term_id: str) -> Term:
        for t in getattr(self, group):
            if t.id == term_id:
                return t
        raise KeyError(term_id)


KIND_SCHEMAS: dict[str, type[Strict]] = {
    "models": Model,
    "benchmarks": Benchmark,
    "datasets": Dataset,
}


def schema_for(kind: str) -> type[Strict]:
    return KIND_SCHEMAS[kind]


def as_plain(value: Any) -> Any:
    """A record as plain JSON-ready data, without keys that hold nothing."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    return value
