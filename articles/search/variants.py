"""The variant lexicon of broad search: which written forms are one loanword or name.

A lexicon is a UTF-8 text file, one class per line, its written forms separated by tabs (the
most frequent first), ``#`` starting a comment. ``manage.py build_variants`` mines it from the
archive (:mod:`articles.text.variants`) and writes ``DATA_DIR/variants.tsv``; that file, when
present, replaces the default shipped in ``articles/search/data/variants.tsv`` (mined from the
ANT news corpora). With neither, broad search expands nothing: skeleton rules alone would fold
native words together (كتاب/كتب), so no class is used that the archive did not confirm.

The lexicon is read on first use and cached; a rewritten file (another mtime or size) is read
again on the next search, so a rebuild takes effect without a restart.

Classes are keyed on normalised whole words (:func:`articles.text.normalize.normalize_word`),
not on stems: :func:`expand_word` finds a query word's class also under attached particles and
endings (والأمريكي → والأميركي, الأمريكيين → الأميركيين).
"""

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from articles.text.normalize import DIACRITICS_RE, TATWEEL, normalize_word
from articles.text.variants import MIN_LETTERS

SHIPPED_LEXICON = Path(__file__).resolve().parent / "data" / "variants.tsv"
LEXICON_FILENAME = "variants.tsv"

# What may be attached around a lexicon word in a query, longest first; the article forms are
# tried before single letters so that «والأمريكي» is و + ال + أمريكي when only «أمريكي» is known.
_PREFIXES = ("وبال", "وكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال",
             "وب", "وك", "ول", "فب", "فل", "و", "ف", "ب", "ك", "ل", "")
_SUFFIXES = ("", "ه", "ها", "هم", "هما", "ين", "ون", "يين", "يون", "ات", "ان", "يه", "يا")
_ARTICLE = "ال"


@dataclass(frozen=True)
class Lexicon:
    """Classes of written forms, and each normalised form's class."""

    classes: tuple[tuple[str, ...], ...] = ()
    index: dict[str, int] = field(default_factory=dict)

    def __len__(self):
        return len(self.classes)

    def others(self, normal: str) -> list[str]:
        """The other written forms of the class of the normalised word ``normal`` ([] if none)."""
        number = self.index.get(normal)
        if number is None:
            return []
        return [form for form in self.classes[number] if normalize_word(form) != normal]


EMPTY = Lexicon()


def parse_lexicon(text: str) -> Lexicon:
    """A lexicon from the text of a lexicon file; a form in two classes stays in the first.

    A class whose forms all carry one attached particle or article also gives the class of the
    bare words (وبوتين/وبوتن → بوتين/بوتن), unless the file has the bare words already: the
    miner only sees the spellings that are common, and a particle does not change a spelling.
    """
    classes, index = [], {}

    def add(candidates):
        forms = []
        for form in candidates:
            form = form.strip()
            normal = normalize_word(form)
            if len(normal) >= MIN_LETTERS and normal not in index and form not in forms:
                forms.append(form)
        if len(forms) < 2:
            return
        for form in forms:
            index[normalize_word(form)] = len(classes)
        classes.append(tuple(forms))

    for line in text.splitlines():
        add(line.split("#", 1)[0].split("\t"))
    for forms in list(classes):
        normals = [normalize_word(form) for form in forms]
        for prefix in _PREFIXES[:-1]:
            if all(normal.startswith(prefix) and len(normal) - len(prefix) >= MIN_LETTERS for normal in normals):
                add(form[len(prefix):] for form in forms)
                break
    return Lexicon(tuple(classes), index)


def format_lexicon(classes, header: str = "") -> str:
    """The text of a lexicon file holding ``classes`` (lists of written forms)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += ["\t".join(forms) for forms in classes if len(forms) > 1]
    return "\n".join(lines) + "\n"


def write_lexicon(path: Path, classes, header: str = "") -> None:
    """Write a lexicon file atomically: searches never read half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(format_lexicon(classes, header), encoding="utf-8")
    os.replace(partial, path)


def data_lexicon_path() -> Path | None:
    """``DATA_DIR/variants.tsv``, what ``build_variants`` writes (``None`` outside Django)."""
    from django.conf import settings

    if not settings.configured:
        return None
    return Path(settings.DATA_DIR) / LEXICON_FILENAME


def lexicon_path() -> Path | None:
    """The lexicon in force: the archive's own if built, else the shipped default, else ``None``."""
    for path in (data_lexicon_path(), SHIPPED_LEXICON):
        if path is not None and path.is_file():
            return path
    return None


_cache_lock = threading.Lock()
_cache: dict = {"key": None, "lexicon": EMPTY}


def current_lexicon() -> Lexicon:
    """The lexicon in force, read again only when its file changes."""
    path = lexicon_path()
    try:
        stat = path.stat() if path else None
    except OSError:
        stat = None
    key = (str(path), stat.st_mtime_ns, stat.st_size) if stat else None
    with _cache_lock:
        if key != _cache["key"]:
            lexicon = parse_lexicon(path.read_text(encoding="utf-8")) if key else EMPTY
            _cache.update(key=key, lexicon=lexicon)
        return _cache["lexicon"]


def expand_word(word: str, lexicon: Lexicon) -> list[str]:
    """The written variant forms of a query word as typed, with its particles and ending.

    The longest lexicon word found inside ``word`` wins: «والأمريكي» gives «والأميركي» through
    الأمريكي, «لترامب» gives «لترمب». A word without the article may use a class of words with
    it («أمريكي» through الأمريكي). Forms come back as the reader would type them: the typed
    particles and ending around the lexicon's spelling.
    """
    normal = normalize_word(word)
    if len(normal) < MIN_LETTERS or not lexicon:
        return []
    plain = DIACRITICS_RE.sub("", word).replace(TATWEEL, "")
    if len(plain) != len(normal):
        plain = normal
    best = None
    for prefix in _PREFIXES:
        if not normal.startswith(prefix):
            continue
        for suffix in _SUFFIXES:
            core_end = len(normal) - len(suffix)
            if (suffix and not normal.endswith(suffix)) or core_end - len(prefix) < MIN_LETTERS:
                continue
            core = normal[len(prefix):core_end]
            for known, article in ((core, False), (_ARTICLE + core, True)):
                if article and prefix.endswith(_ARTICLE):
                    continue
                if known in lexicon.index and (best is None or len(core) > best[0]):
                    best = (len(core), prefix, suffix, known, article)
    if best is None:
        return []
    _length, prefix, suffix, known, article = best
    head, tail = plain[: len(prefix)], plain[len(plain) - len(suffix):] if suffix else ""
    forms = []
    for other in lexicon.others(known):
        if article:
            if not normalize_word(other).startswith(_ARTICLE):
                continue
            other = other[len(_ARTICLE):]
        form = f"{head}{other}{tail}"
        if normalize_word(form) != normal and form not in forms:
            forms.append(form)
    return forms
