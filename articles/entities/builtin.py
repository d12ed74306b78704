"""The builtin extractor: the CRF shipped in ``data/`` plus the rules of :mod:`.rules`. Needs no
download; ``manage.py train_ner`` rebuilds the model (:mod:`articles.entities.training`)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from articles.entities import rules
from articles.entities.base import SENTENCE_END, TaggingExtractor
from articles.entities.features import Gazetteer, sentence_features
from articles.entities.lexicons import GIVEN_NAMES, ORG_HEADS, PLACE_WORDS, RULE_GIVEN_NAMES, dictionary_form
from articles.entities.rules import is_function_word
from articles.text.normalize import normalize_word
from articles.text.stemmer import STOP_WORDS

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL_PATH = DATA_DIR / "ner-model.crfsuite"
# «و» comes off a name's first word («وكوبنهاغن» → «كوبنهاغن») only when what remains is among
# this many commonest words of the news, and commoner there than the whole.
AND_TOP_WORDS = 30_000


def gazetteer_path(model_path: str | Path) -> Path:
    """Where the entity strings memorised at training time are stored next to a CRF model."""
    return Path(model_path).with_suffix(".entities.json")


class BuiltinExtractor(TaggingExtractor):
    """CRF tagger (python-crfsuite) plus place-name, name-propagation and (in ``extract()``)
    institution-name rules. No network, no download."""

    name = "builtin"

    def __init__(self, model_path: str | Path = DEFAULT_MODEL_PATH):
        import pycrfsuite

        model_path = Path(model_path)
        if not model_path.is_file():
            raise FileNotFoundError(f"NER model not found: {model_path} (run manage.py train_ner)")
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_path))
        self.gazetteer = Gazetteer.from_json(
            json.loads(gazetteer_path(model_path).read_text(encoding="utf-8")))
        # pycrfsuite taggers keep per-call state: one lock keeps threaded web workers safe.
        self._lock = threading.Lock()

    def particle_before_name(self, token: str, kind: str) -> tuple[int, bool]:
        """«و» before a name in a list (:meth:`_and_before_name`), and «ل» before a person's
        name (:meth:`_to_before_person`)."""
        if self._and_before_name(token):
            return 1, False
        return self._to_before_person(token) if kind == "PERS" else (0, False)

    def _and_before_name(self, token: str) -> bool:
        """«و» + a name the news writes far more often without it («وكوبنهاغن», «ولوكاس»);
        not a given name, place or institution of the lexicons («وليد», «وجدة», «وزارة»), nor
        before a function word. «وا» and «وي» spell a foreign «W» («واين روني», «ويلي
        كاباييرو»): a name after «و» keeps its hamza («وأندي»), and one in «ي» is rare."""
        norm = normalize_word(token)
        if token[:1] != "و" or token[1:2] in ("ا", "ي") or len(norm) != len(token) or len(norm) < 4 \
                or norm in GIVEN_NAMES or norm in RULE_GIVEN_NAMES or norm in PLACE_WORDS or norm in ORG_HEADS:
            return False
        rest = norm[1:]
        if rest in STOP_WORDS or is_function_word(token[1:]):
            return False
        rank, whole = self.gazetteer.frequency_rank(rest), self.gazetteer.frequency_rank(norm)
        return rank is not None and rank < AND_TOP_WORDS and (whole is None or whole > rank)

    def _to_before_person(self, token: str) -> tuple[int, bool]:
        """«للـ» before a person's name: «ل» + «ال…» with the alef elided («للسيسي» → «السيسي»)
        or «ل» + a name in «ل» («للافروف» → «لافروف», «للطفي» → «لطفي»), whichever the news
        writes more often; a given name after «ل» is the latter, an unranked nisba the former."""
        norm = normalize_word(token)
        if not norm.startswith("لل") or len(norm) != len(token) or len(norm) < 5:
            return 0, False
        article, bare = "ال" + norm[2:], norm[1:]
        if bare in GIVEN_NAMES or bare in RULE_GIVEN_NAMES:
            return 1, False
        ranked = [(self.gazetteer.frequency_rank(form), elided) for form, elided in ((article, True), (bare, False))]
        known = [reading for reading in ranked if reading[0] is not None]
        if not known:
            # A family name the news has too rarely to rank is most often a nisba in «ال…ي»
            # («للعلويني», «للهماني»); anything else is left as written.
            return (1, True) if article.endswith("ي") else (0, False)
        # No name begins with «لل»: one letter is always a particle, only which reading is open.
        return 1, min(known)[1]

    def alone_share(self, token: str, kind: str) -> float | None:
        """From how the finished model read the news (:meth:`.Gazetteer.alone_share`)."""
        return self.gazetteer.alone_share(dictionary_form(normalize_word(token)), kind)

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for one sentence."""
        return self._scored(tokens)[0]

    def _scored(self, tokens: list[str]) -> tuple[list[str], list[float | None]]:
        """:meth:`tag` and the CRF's marginal probability of each entity label it chose."""
        if not tokens:
            return [], []
        # Training sentences end with final punctuation; a title or byline does not. Tag such a
        # line as if it had one, so its last word is not read as unlike anything seen in training.
        padded = list(tokens) if tokens[-1] in SENTENCE_END else [*tokens, "."]
        feats = sentence_features(padded, self.gazetteer)
        with self._lock:
            tags = list(self.tagger.tag(feats))[:len(tokens)]
            # One forward-backward pass over the sentence just tagged serves every marginal.
            scores = [None if tag == "O" else self.tagger.marginal(tag, t) for t, tag in enumerate(tags)]
        rules.place_rule(tokens, tags)
        rules.place_prefix_rule(tokens, tags)
        rules.name_link_rule(tokens, tags)
        return tags, scores

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags for consecutive sentences of running text, with names propagated between them.

        A surname tagged once («فارس السقاف») is tagged again where it recurs alone nearby
        («وأشار السقاف»), which the CRF, seeing one sentence at a time, often misses.
        """
        return self._scored_sentences(sentences)[0]

    def _scored_sentences(self, sentences: list[list[str]]) -> tuple[list[list[str]], list[list[float | None]]]:
        scored = [self._scored(s) for s in sentences]
        tagged = [tags for tags, _ in scored]
        rules.propagate_names(sentences, tagged, self.gazetteer)
        return tagged, [scores for _, scores in scored]

    def article_tags(self, sentences: list[list[str]]) -> list[list[str]]:
        """:meth:`tag_sentences` plus the given-name, kind, formal-place and institution-name
        rules (:func:`.rules.given_name_rule`, :func:`.rules.kind_rule` with its corrections
        carried over the article by :func:`.rules.apply_kinds`, :func:`.rules.formal_place_rule`,
        :func:`.rules.org_rule`, :func:`.rules.org_nationality_rule`, :func:`.rules.club_rule`,
        :func:`.rules.verb_rule`).

        These follow this archive's conventions («وزارة الصحة» is an organisation, «جمهورية
        مصر العربية» is filed under «مصر»); ANERcorp tags otherwise, so ``tag()`` (what
        ``ner_eval`` scores) omits them.
        """
        return self.scored_article_tags(sentences)[0]

    def scored_article_tags(self, sentences: list[list[str]]) -> tuple[list[list[str]], list[list[float | None]]]:
        """:meth:`article_tags` and the CRF's marginal probability of each entity label it chose
        (``None`` where it chose «O»): a rule that makes or relabels a name does not change it."""
        tagged, scores = self._scored_sentences(sentences)
        changed: dict = {}
        for tokens, tags in zip(sentences, tagged):
            rules.given_name_rule(tokens, tags)
            changed.update(rules.kind_rule(tokens, tags, self.gazetteer))
        for tokens, tags in zip(sentences, tagged):
            rules.apply_kinds(tokens, tags, changed)
            rules.formal_place_rule(tokens, tags)
            rules.org_rule(tokens, tags)
            rules.org_nationality_rule(tokens, tags)
            rules.club_rule(tokens, tags)
            rules.verb_rule(tokens, tags)
        return tagged, scores
