"""Entities as the archive stores and shows them: extraction at ingest, resolution, pages, API."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.entities.builtin import BuiltinExtractor
from articles.models import Article, Entity, Mention
from articles.text.keys import content_hash
from articles.text.normalize import normalize_word
from tests.conftest import REFERENCE_ENTITIES, SEED_ENTITIES

pytestmark = pytest.mark.django_db


# A later article naming the minister with a vocalised surname: the same entity.
LATER = """خالد الشّريف يفتتح محطة لتحلية المياه في زوارة
تاريخ النشر: 2nd, May 2023 GMT
الأفق| متابعات
افتتح وزير الموارد المائية خالد الشّريف محطة جديدة لتحلية مياه البحر في مدينة زوارة غرب ليبيا.
وقال الشّريف إن المحطة ستوفر مياه الشرب لآلاف الأسر في المنطقة.
"""


@pytest.fixture
def seed(reference_text):
    services.ingest_paste(text=reference_text)
    return Article.objects.get(title__startswith="الوزير")


@pytest.fixture
def real_seed(shared):
    services.ingest_paste(text=(shared / "samples" / "seed-article.txt").read_text(encoding="utf-8"))
    return Article.objects.get(title__startswith="اللواء")


@pytest.mark.parametrize("kind, name", REFERENCE_ENTITIES)
def test_ingesting_a_paste_stores_its_entities(seed, kind, name):
    assert Entity.objects.by_name(name, kind).exists(), f"{kind} {name} not found"


@pytest.mark.parametrize("kind, name", SEED_ENTITIES)
def test_ingesting_the_real_reference_paste_stores_its_entities(real_seed, kind, name):
    assert Entity.objects.by_name(name, kind).exists(), f"{kind} {name} not found"


@pytest.mark.parametrize(
    "name, role",
    [("خالد الشريف", "وزير الموارد المائية"), ("مراد الفيتوري", "الدكتور")],
)
def test_roles_that_introduce_people_are_kept(seed, name, role):
    entity = Entity.objects.by_name(name, "PERS").get()

    assert any(role in seen for seen in entity.roles())


@pytest.mark.parametrize(
    "name, role",
    [
        ("عصام أبوزريبة", "وزير الداخلية"),
        ("أسامة الدرسي", "رئيس جهاز الأمن الداخلي"),
        ("فرج اقعيم", "الوكيل"),
        ("محمود توفيق", "اللواء"),
    ],
)
def test_roles_in_the_real_reference_paste_are_kept(real_seed, name, role):
    entity = Entity.objects.by_name(name, "PERS").get()

    assert any(role in seen for seen in entity.roles())


def test_short_mention_in_title_resolves_to_full_name(seed):
    entity = Entity.objects.by_name("خالد الشريف", "PERS").get()

    (mention,) = entity.mentions.filter(field=Mention.Field.TITLE)
    assert mention.surface == "الشريف"
    assert seed.title[mention.start : mention.end] == mention.surface


def test_spelling_variants_across_articles_are_one_entity(seed):
    services.ingest_paste(text=LATER)

    entity = Entity.objects.by_name("خالد الشريف", "PERS").get()
    assert Entity.objects.by_name("خالد الشّريف", "PERS").get() == entity
    assert Article.objects.mentioning(entity).count() == 3  # with the related article


def test_mention_offsets_point_at_the_surface_form(seed):
    for mention in Mention.objects.filter(article=seed, field=Mention.Field.BODY):
        assert seed.body[mention.start : mention.end] == mention.surface


def test_extract_entities_command_is_idempotent(seed):
    before = sorted(Mention.objects.values_list("article_id", "entity_id", "field", "start"))

    call_command("extract_entities", "--all", stdout=io.StringIO())
    call_command("extract_entities", "--since", "2000-01-01", stdout=io.StringIO())

    assert sorted(Mention.objects.values_list("article_id", "entity_id", "field", "start")) == before


def test_extract_entities_rejects_a_bad_date():
    with pytest.raises(CommandError, match="--since"):
        call_command("extract_entities", "--since", "yesterday", stdout=io.StringIO())


def test_article_page_shows_entity_chips_and_marks_mentions(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()

    entity = Entity.objects.by_name("بنغازي", "LOC").get()
    assert f'class="chip chip-LOC" href="{entity.get_absolute_url()}"' in html
    assert f'class="mention mention-LOC" href="{entity.get_absolute_url()}"' in html


def test_entity_page_shows_variants_roles_timeline_articles_and_co_occurring(client, seed):
    services.ingest_paste(text=LATER)
    entity = Entity.objects.by_name("خالد الشريف", "PERS").get()

    response = client.get(entity.get_absolute_url())

    html = response.content.decode()
    assert response.context["article_count"] == 3
    assert response.context["variants"] == []  # «الشريف» is a short form, not a spelling of the name
    assert "وزير الموارد المائية" in html
    assert "مارس 2023" in html and "مايو 2023" in html
    assert seed.title in html
    co = [e.name for e in response.context["co_occurring"]]
    assert co[:2] == ["زوارة", "ليبيا"], co  # two articles each, then by name
    assert "بنغازي" in co


def test_entity_index_lists_top_entities_and_letters(client, seed):
    services.ingest_paste(text=LATER)
    html = client.get(reverse("articles:entities")).content.decode()
    assert "زوارة" in html

    listing = client.get(reverse("articles:entities"), {"letter": "ز"}).context["listing"]
    assert "زوارة" in [entity.name for entity in listing]


def _named(article, names, kind="LOC", mentions=2, confidence=None):
    """Entities under ``names``, each mentioned ``mentions`` times in ``article``."""
    made = []
    start = 10_000 + 10 * Mention.objects.count()
    for name in names:
        entity = Entity.objects.create(kind=kind, name=name)
        for _ in range(mentions):
            Mention.objects.create(article=article, entity=entity, surface=name, field=Mention.Field.BODY,
                                   start=start, end=start + 5, confidence=confidence)
            start += 10
        made.append(entity)
    return made


def test_entity_index_pages_each_kind_and_a_page_past_the_last_is_404(client, seed):
    _named(seed, [f"مدينة رقم {n}" for n in range(60)])
    url = reverse("articles:entities")
    first = client.get(url, {"kind": "LOC"}).context["listing"]
    second = client.get(url, {"kind": "LOC", "page": 2}).context["listing"]
    assert first.paginator.num_pages == 2
    assert not {e.pk for e in first} & {e.pk for e in second}
    assert client.get(url, {"kind": "LOC", "page": 3}).status_code == 404


@pytest.mark.parametrize("params", [{"kind": "XYZ"}, {"letter": "Q"}, {"q": "ا" * 101}])
def test_entity_index_bad_parameters_are_400(client, params):
    assert client.get(reverse("articles:entities"), params).status_code == 400


def test_entity_index_files_names_by_their_letter_after_normalisation(client, seed):
    _named(seed, ["ألمانيا", "القاهرة", "إسطنبول"])
    def under(letter):
        return {e.name for e in client.get(reverse("articles:entities"), {"letter": letter}).context["listing"]}
    assert {"ألمانيا", "إسطنبول"} <= under("ا")
    assert "القاهرة" in under("ق") and "ألمانيا" not in under("م")


@pytest.mark.parametrize("typed, found", [
    ("اسطنبول", "إسطنبول"),            # hamza folded
    ("أمريكا", "أميركا"),              # a loanword spelling
    ("القاهر", "القاهرة"),             # the start of a name
])
def test_entity_name_search_is_normalised_and_knows_spellings(client, seed, typed, found):
    _named(seed, ["أميركا", "القاهرة", "إسطنبول"])
    listing = client.get(reverse("articles:entities"), {"q": typed}).context["listing"]
    assert found in [e.name for e in listing]



def test_entity_name_search_finds_a_full_name_by_its_later_word(client, seed):
    _named(seed, ["دونالد ترامب", "جو بايدن"])
    listing = client.get(reverse("articles:entities"), {"q": "ترمب"}).context["listing"]
    assert [e.name for e in listing] == ["دونالد ترامب"]


def test_an_entity_seen_once_under_one_word_is_kept_off_the_index(client, seed):
    (once,) = _named(seed, ["نادرستان"], mentions=1)
    (twice,) = _named(seed, ["كثيرستان"], mentions=2)
    shown = [e.name for e in client.get(reverse("articles:entities"), {"kind": "LOC"}).context["listing"]]
    assert twice.name in shown and once.name not in shown
    assert Entity.objects.filter(pk=once.pk).exists()


@pytest.mark.parametrize("confidence, listed", [(0.5, False), (0.89, False), (0.9, True), (0.99, True), (None, True)])
def test_a_longer_name_seen_once_is_listed_only_when_the_tagger_was_sure(client, seed, confidence, listed):
    (once,) = _named(seed, ["مدينة نادرة"], mentions=1, confidence=confidence)
    (twice,) = _named(seed, ["مدينة مترددة"], mentions=2, confidence=0.5)
    shown = [e.name for e in client.get(reverse("articles:entities"), {"kind": "LOC"}).context["listing"]]
    assert (once.name in shown) is listed
    assert twice.name in shown
    assert client.get(reverse("articles:entity", args=[once.pk])).status_code == 200


@pytest.mark.parametrize("confidences, listed", [
    ([0.01, 0.09], False),   # a word the news seldom has as such a name, in two articles
    ([0.01, 0.1], True),
    ([0.9, 0.99], True),
    ([None, None], True),    # rules' finds
    ([0.01, None], True),
])
def test_a_one_word_name_is_listed_only_when_one_mention_is_likely_a_name(client, seed, confidences, listed):
    (entity,) = _named(seed, ["كثيرستان"], mentions=0)
    for n, confidence in enumerate(confidences):
        Mention.objects.create(article=seed, entity=entity, surface=entity.name, field=Mention.Field.BODY,
                               start=20_000 + 10 * n, end=20_005 + 10 * n, confidence=confidence)
    shown = [e.name for e in client.get(reverse("articles:entities"), {"kind": "LOC"}).context["listing"]]
    assert (entity.name in shown) is listed


def _one_article(body):
    return Article.objects.create(title="خبر", body=body, content_hash=content_hash("خبر", body))


@pytest.mark.parametrize("counts, confidence", [
    (None, 1.0),                     # a word not counted keeps the tagger's
    ([400, 0, 0, 396], 0.99),        # a place alone nearly everywhere
    ([400, 2, 0, 10], 0.025),        # a word the tagger seldom takes for a place
    ([400, 390, 0, 1], 0.0025),      # a person's name, here tagged a place
])
def test_a_one_word_name_is_stored_no_surer_than_its_word_alone_is_such_a_name_in_the_news(counts, confidence):
    article = _one_article("قال الرئيس اللبناني ميشال عون إن بيروت لن تتراجع.")
    extractor = BuiltinExtractor()
    extractor.gazetteer.alone = {normalize_word("بيروت"): counts} if counts else {}
    extractor.gazetteer.alone[normalize_word("عون")] = [400, 0, 0, 0]
    services.extract_entities(articles=[article], extractor=extractor)
    stored = dict(Mention.objects.values_list("surface", "confidence"))
    assert stored["بيروت"] == pytest.approx(confidence, abs=0.002)
    assert stored["ميشال عون"] > 0.9  # a longer name is not held to its words alone


def test_a_word_behind_a_particle_is_held_to_the_share_of_its_dictionary_form():
    article = _one_article('وكتب الوزير "نضع ثقتنا بالله" قبل أن يغادر.')
    extractor = BuiltinExtractor()
    extractor.gazetteer.alone = {normalize_word("الله"): [1000, 10, 0, 0]}
    services.extract_entities(articles=[article], extractor=extractor)
    assert list(Mention.objects.values_list("surface", "confidence")) == [("الله", 0.01)]


def test_a_place_whose_article_is_elided_after_li_is_held_to_its_names_share():
    article = _one_article("وصل الوفد للقاهرة أمس.")  # written «لقاهرة», the name «القاهرة»
    extractor = BuiltinExtractor()
    extractor.gazetteer.alone = {normalize_word("القاهرة"): [100, 0, 0, 3]}
    services.extract_entities(articles=[article], extractor=extractor)
    assert list(Mention.objects.values_list("entity__name", "confidence")) == [("القاهرة", 0.03)]


def test_a_rules_one_word_find_is_held_to_its_words_share_and_a_surname_of_a_full_name_is_not():
    article = _one_article("وصل الوزير سمير حداد إلى مدينة زوارة أمس. وقال حداد إن زوارة هادئة.")
    extractor = BuiltinExtractor()
    extractor.gazetteer.alone = {normalize_word("زوارة"): [100, 0, 0, 3], normalize_word("حداد"): [400, 1, 0, 0]}
    services.extract_entities(articles=[article], extractor=extractor)
    stored = list(Mention.objects.order_by("start").values_list("surface", "entity__name", "confidence"))
    assert [c for surface, _, c in stored if surface == "زوارة"] == [0.03, 0.03]  # tagged, then carried over
    (surname,) = [c for surface, name, c in stored if surface == "حداد" and name == "سمير حداد"]
    assert surname > 0.5  # not 1 in 400: the full name is in the article


def test_mentions_keep_how_sure_the_tagger_was(seed):
    scored = Mention.objects.filter(article=seed, confidence__isnull=False)
    assert scored.exists()
    assert all(0 < mention.confidence <= 1 for mention in scored)


def test_api_article_returns_entities_with_mentions(client, seed):
    data = client.get(reverse("articles:api_article", args=[seed.pk])).json()

    assert data["title"] == seed.title
    assert data["published_on"] == "2023-03-12"
    names = {(e["kind"], e["name"]) for e in data["entities"]}
    assert ("LOC", "بنغازي") in names
    person = next(e for e in data["entities"] if e["name"] == "خالد الشريف")
    assert {m["field"] for m in person["mentions"]} == {"title", "body"}
    assert data["entities"][0]["name"] == "خالد الشريف"  # in the order the text names them


def test_api_article_missing_is_404(client):
    assert client.get(reverse("articles:api_article", args=[12345])).status_code == 404
