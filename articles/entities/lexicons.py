"""The word lists of the builtin extractor, and the dictionary form they are looked up in.

Written in their usual spelling; compared after :func:`~articles.text.normalize.normalize`, so
hamza, ى/ي and ة/ه variants all match. Function words are the text stop words
(:data:`articles.text.stemmer.STOP_WORDS`); only what names need beyond them is here.
"""

from functools import lru_cache

from articles.text.normalize import normalize
from articles.text.stemmer import STOP_WORDS, strip_proclitics

def _words(text: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in text.split())


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(normalize(w) for w in p.split()) for p in text.split("|") if p.strip())


PLACES = _phrases("""
مصر|السعودية|المملكة العربية السعودية|ليبيا|تونس|الجزائر|المغرب|موريتانيا|السودان|جنوب السودان|اليمن|
عمان|سلطنة عمان|قطر|البحرين|الكويت|الإمارات|الإمارات العربية المتحدة|العراق|سوريا|سورية|لبنان|الأردن|
فلسطين|الصومال|جيبوتي|جزر القمر|أمريكا|أميركا|الولايات المتحدة|بريطانيا|المملكة المتحدة|فرنسا|ألمانيا|
إيطاليا|إسبانيا|البرتغال|روسيا|الصين|اليابان|الهند|باكستان|أفغانستان|إيران|تركيا|إسرائيل|كندا|البرازيل|
الأرجنتين|المكسيك|أستراليا|هولندا|بلجيكا|سويسرا|النمسا|السويد|النرويج|الدنمارك|فنلندا|بولندا|اليونان|
أوكرانيا|كوريا|كوريا الشمالية|كوريا الجنوبية|إندونيسيا|ماليزيا|الفلبين|تايلاند|فيتنام|نيجيريا|إثيوبيا|
كينيا|تشاد|النيجر|مالي|السنغال|بوركينا فاسو|ساحل العاج|غانا|الكاميرون|إريتريا|أوغندا|تنزانيا|
جنوب أفريقيا|أوروبا|آسيا|أفريقيا|إفريقيا|القاهرة|الإسكندرية|الجيزة|أسوان|الأقصر|بورسعيد|السويس|الرياض|
جدة|مكة|مكة المكرمة|المدينة المنورة|دبي|أبوظبي|أبو ظبي|الشارقة|الدوحة|المنامة|مسقط|صنعاء|عدن|تعز|الحديدة|
بغداد|البصرة|الموصل|أربيل|كركوك|دمشق|حلب|حمص|حماة|اللاذقية|درعا|إدلب|بيروت|صيدا|طرابلس|عمّان|القدس|
غزة|رام الله|الخليل|نابلس|جنين|الضفة الغربية|قطاع غزة|بنغازي|مصراتة|سرت|طبرق|سبها|درنة|الزاوية|الكفرة|
صفاقس|سوسة|القيروان|وهران|قسنطينة|الرباط|الدار البيضاء|فاس|مراكش|طنجة|وجدة|نواكشوط|الخرطوم|أم درمان|دارفور|
مقديشو|واشنطن|نيويورك|لندن|باريس|برلين|روما|مدريد|موسكو|بكين|طوكيو|طهران|أنقرة|إسطنبول|اسطنبول|كابول|
إسلام آباد|نيودلهي|بروكسل|جنيف|فيينا|أمستردام|أثينا|وارسو|كييف|تل أبيب|واغادوغو|نيامي|باماكو|داكار|
أديس أبابا|نيروبي|لاغوس|أبوجا|نجامينا|الشرق الأوسط|الخليج|سيناء|الجولان
""")
PLACE_WORDS = frozenset(w for p in PLACES for w in p)

GIVEN_NAMES = _words("""
محمد أحمد محمود مصطفى علي عمر عثمان حسن حسين خالد إبراهيم يوسف يونس موسى عيسى سليمان داود صالح
سالم سعيد سعد فهد فيصل سلطان عادل عماد عصام أسامة فرج طارق ماجد مجدي هشام وليد ياسر ياسين زياد نبيل
جمال كمال حمدي رامي سامي سمير منير رشيد رياض ناصر منصور جعفر حمزة بشار حافظ صدام معمر هاني عمرو أيمن
أنور نجيب نادر شريف توفيق عزت رفعت فاروق مروان مهدي نوري إياد جلال بلال حازم باسم حسام رائد شادي عبدالله
عبدالرحمن عبدالعزيز عبدالفتاح عبدالمجيد جورج ميشال ميشيل جان بيار بيير توني جون جيمس دونالد باراك بيل
ديفيد مايكل فلاديمير نيكولا إيمانويل أنجيلا كوفي بان جاك توماس بول بطرس فاطمة عائشة مريم زينب خديجة
سارة ليلى نادية هدى منى سلمى هند رانيا سميرة أمل نوال سعاد لطيفة
أكرم أشرف إسماعيل إسلام إيهاب أنس أيوب بدر بكر بسام ثامر جابر جاسم جواد حاتم حامد حمد حميد خليل
رضا رمضان زكريا زكي سامر سلمان سليم شاكر صابر صلاح ضياء طلال طه عاطف عامر عبدالحق عبدالسلام
عبدالكريم عبدالحميد عبدالرحيم عبدالقادر عبدالناصر عبداللطيف عبدالوهاب عدنان عرفات علاء غازي غسان
فادي فارس فتحي فراس فؤاد قاسم كريم لؤي ماهر مالك مأمون مبارك مجيد مراد مصعب معاذ مختار مهند
مؤيد نايف نزار نصر نعيم نواف هيثم وائل وسام وجدي يحيى يزيد راشد حمدان زايد تميم مشعل بندر تركي
عبدالملك إلياس إيلي شربل طوني ميشال سمعان بطرس أنطوان جوزيف إدريس مولاي عزيز الحسن الحسين
أسماء آمنة إيمان بسمة جميلة حنان حياة خلود دعاء رشا رنا ريم زهرة سناء سهام شيماء صفاء عبير علياء
غادة فدوى لبنى لمياء مها ميساء نجلاء نسرين نهى نور هالة وفاء ياسمين يسرى
""")

# Titles and ranks that sit right before a name: «الدكتور سمير حداد», «المهندس سالم بوخطوة».
TITLES = _words("""
السيد السيدة الرئيس الرئيسة الملك الملكة الأمير الأميرة الشيخ الشيخة اللواء الفريق العقيد العميد
المقدم الرائد النقيب المشير الجنرال الدكتور الدكتورة د. المهندس الأستاذ الحاج الإمام القاضي المستشار
الوكيل الوزير الوزيرة السفير النائب المدير المتحدث الناطق البابا المطران الأب السلطان ولي العاهل
المبعوث المندوب الزعيم القائد الأمين المحافظ
""")
# Heads of an office title that continues with a complement: «وزير الصحة», «رئيس جامعة …».
OFFICES = _words("""
رئيس رئيسة وزير وزيرة مدير مديرة أمين نائب سفير قائد محافظ عمدة مستشار مساعد وكيل ملك أمير ناطق متحدث
مندوب ممثل مبعوث زعيم رئيسا وزيرا مديرا
""")
ROLE_WORDS = TITLES | OFFICES

# Heads of institution names; with a genitive complement they form an ORG («جهاز تنظيم الاتصالات»).
ORG_HEADS = _words("""
وزارة جهاز إدارة هيئة مجلس منظمة وكالة شركة جامعة اتحاد جمعية مؤسسة مديرية نقابة محكمة حزب حركة جبهة
لجنة بنك مصرف صندوق معهد مصلحة
""")
# Time words that end a name or an office title as the stop words do («… اللواء فلان أمس»):
# the rules stop at the union, :data:`NAME_BOUNDARIES`.
TIME_WORDS = _words("""
أمس اليوم غدا الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الماضي الماضية المقبل المقبلة
الحالي الحالية الجاري
""")
NAME_BOUNDARIES = STOP_WORDS | TIME_WORDS
SPEECH_VERBS = _words("""
قال وقال أعلن وأعلن أكد وأكد أضاف وأضاف صرح وصرح أوضح وأوضح أشار وأشار ذكر وذكر أعرب وأعرب دعا ودعا
استقبل واستقبل التقى والتقى بحث وبحث
""")

# Words that glue the parts of one person's name: «حمد بن خليفة آل ثاني», «أبو بكر».
NAME_LINKS = _words("بن ابن بنت آل أبو أبي عبد ولد")

# First words of place names that look like a person's name when the CRF sees only the next word:
# «سيدي بوزيد», «عين التينة», «بئر السبع», «وادي حضرموت», «جبل الشيخ», «رأس الخيمة».
PLACE_PREFIXES = _words("سيدي عين بئر وادي جبل رأس تل")
# Nouns that introduce a place's name: «منطقتي سيدي جابر», «حي الزيتون», «شارع أبو قير».
LOC_NOUNS = _words("""
منطقة منطقتي مناطق حي أحياء شارع ميدان مدينة مدينتي بلدة قرية قريتي محافظة محافظتي ولاية ولايتي
مخيم ضاحية جزيرة بحيرة نهر ساحة طريق إقليم مقاطعة شاطئ شاطئي شواطئ
""")
# Words that typically end an institution's name: «وكالة الشرق الأوسط للأنباء», «… للتنمية».
ORG_SUFFIXES = _words("""
للأنباء للتنمية للإغاثة للطيران للنفط للبترول للاتصالات للإعلام للصحافة للسلام لحقوق للإحصاء
للدراسات للبحوث للأبحاث للتجارة للاستثمار للصناعة للطاقة للكهرباء للمياه للتعليم للثقافة للعلوم
للتكنولوجيا للتأمين للنقل للتدريب للتربية للرياضة للشباب للمرأة للطفولة للاجئين للأمم للتعاون
""")
# Non-nisba adjectives that continue an institution's name: «الإدارة العامة», «المجلس الأعلى».
ORG_ADJECTIVES = _words("""
العامة العام العليا الأعلى المتحدة الكبرى الموحدة المستقلة المشتركة الدائمة المؤقتة الجديد الجديدة
الحر الحرة الأهلية
""")
# Heads that also make common phrases («حركة المرور», «لجنة التحكيم», «إدارة المهرجان»): the
# institution-name rule needs a longer complement after them.
WEAK_ORG_HEADS = _words("إدارة حركة لجنة صندوق جبهة مصلحة")


# The lists below are read by the rules after the CRF only, never by its features, so extending
# them needs no retraining.
# Given names written with the article or a proclitic-like first letter, common in Maghreb news
# («الباجي قايد السبسي», «الهادي مجدوب», «لسعد اليعقوبي»): before a surname they are the name,
# not the end of a title, and «لسعد» is not «ل» + «سعد».
RULE_GIVEN_NAMES = _words("""
الباجي الهادي الحبيب الطيب المنصف المنجي الصادق الأسعد لسعد الأزهر الهاشمي المولدي البشير الطاهر
الجيلاني المختار المهدي المنذر الشاذلي الصحبي العياشي الميلودي فوزي
""")
# Buildings and sites named after people («مستشفى شارل نيكول», «ملعب حمادي العقربي»): what follows
# is the place, not the person.
FACILITY_NOUNS = _words("""
مستشفى المستشفى مستشفيات مطار ملعب مركب قصر جامع مسجد معتمدية ولاية نزل فندق مصحة
مستوصف ثكنة سجن محطة ميناء
""")
# Adjectives of a local branch, whose name includes its place: «الاتحاد الجهوي للشغل بصفاقس» is
# not the same body as «… بسوسة».
BRANCH_ADJECTIVES = _words("الجهوي الجهوية المحلي المحلية الأساسية الفرعي الفرعية الإقليمي الإقليمية")
# Heads of bodies that every town has, named with their place: «محكمة الاستئناف بسوسة».
LOCAL_HEADS = _words("محكمة المحكمة بلدية البلدية مندوبية المندوبية")
# Nouns that introduce the title of a work, not a name: «برنامج "بوليتيكا"», «فيلم …» (not
# «حصة», «كتاب», «أغنية»: also «share of», «writers», «a song by» before real names).
WORK_NOUNS = _words("برنامج برنامجه برنامجها مسلسل فيلم مسرحية")

# Places the rules after the CRF know beside :data:`PLACES` (which the CRF's features read, so
# it stays as trained): a person or organisation written so is the place («بيونغ يانغ قالت»).
# Tunisia's governorates and towns of its news are here too: «بن قردان» reads like a person.
# A country in sport is its national team («فازت الأوروغواي»); the archive files it under the
# country, as one entity with the country's news.
RULE_PLACES = _phrases("""
بيونغ يانغ|بيونغيانغ|سيول|الأوروغواي|أوروغواي|الأورغواي|الباراغواي|باراغواي|كولومبيا|البيرو|بيرو|
تشيلي|الإكوادور|فنزويلا|كرواتيا|صربيا|رومانيا|بلغاريا|المجر|التشيك|سلوفاكيا|سلوفينيا|أيسلندا|
إيسلندا|ايرلندا|أيرلندا|إيرلندا|اسكتلندا|ويلز|إنجلترا|انجلترا|بنما|كوستاريكا|هندوراس|كوبا|
ميانمار|بنغلاديش|سريلانكا|نيبال|كازاخستان|أوزبكستان|أذربيجان|أرمينيا|جورجيا|قبرص|مالطا|
بيلاروسيا|لاتفيا|ليتوانيا|إستونيا|الكونغو|أنغولا|زيمبابوي|زامبيا|موزمبيق|رواندا|بوروندي|
مدغشقر|ناميبيا|بوتسوانا|غينيا|بنين|توغو|ليبيريا|سيراليون|غامبيا|سنغافورة|هونغ كونغ|تايوان|
بن قردان|بن عروس|سيدي بوزيد|القصرين|جندوبة|نابل|بنزرت|قابس|مدنين|تطاوين|قفصة|توزر|قبلي|الكاف|باجة|
سليانة|زغوان|المهدية|المنستير|أريانة|منوبة|جرجيس|جربة|قرطاج
""")
# One place under two names: the formal and the everyday name, and the ا/ة endings of
# loanword country names («سوريا», «سورية»), filed under the name the archive uses most.
SAME_PLACES = {
    tuple(normalize(w) for w in long.split()): short
    for long, short in (
        ("الولايات المتحدة الأمريكية", "الولايات المتحدة"), ("الولايات المتحدة الأميركية", "الولايات المتحدة"),
        ("الولايات المتحدة الامريكية", "الولايات المتحدة"), ("المملكة العربية السعودية", "السعودية"),
        ("الإمارات العربية المتحدة", "الإمارات"), ("دولة الإمارات", "الإمارات"),
        ("دولة الإمارات العربية المتحدة", "الإمارات"), ("سلطنة عمان", "عمان"), ("دولة قطر", "قطر"),
        ("دولة الكويت", "الكويت"), ("مملكة البحرين", "البحرين"), ("جمهورية مصر العربية", "مصر"),
        ("المملكة الأردنية الهاشمية", "الأردن"), ("المملكة المغربية", "المغرب"),
        ("الجمهورية التونسية", "تونس"), ("الجمهورية الإسلامية الإيرانية", "إيران"),
        ("جمهورية إيران الإسلامية", "إيران"), ("الجمهورية العربية السورية", "سوريا"),
        ("روسيا الاتحادية", "روسيا"), ("جمهورية الصين الشعبية", "الصين"),
    )
}
# The people of a country or a nation, often tagged as an organisation («المقاتلين الأكراد»):
# a people is no entity here.
PEOPLES = _words("""
الأكراد الأتراك العرب الفلسطينيون الفلسطينيين الإسرائيليون الإسرائيليين الأمريكيون الأمريكيين
الأميركيون الأميركيين الروس الإيرانيون الإيرانيين الإنجليز البريطانيون البريطانيين الفرنسيون
الفرنسيين الألمان السوريون السوريين العراقيون العراقيين اليمنيون اليمنيين المصريون المصريين
التونسيون التونسيين الليبيون الليبيين الإيزيديين الأيزيديين الأمازيغ الشيعة السنة
""")
# Kin and relation words the CRF sometimes takes into a name («خطيبة جمال خاشقجي»): the span is
# then another person, his fiancée, and would take his mentions.
KIN_WORDS = _words("""
خطيبة خطيب زوجة زوج ابنة نجل نجلة شقيق شقيقة أخ أخت والد والدة أرملة حفيد حفيدة عم خال
صهر مساعدة مساعد محامي محامية
""")
# What ends a person's name as the son of the same name: «دونالد ترامب جونيور» is not his father.
GENERATION_SUFFIXES = _phrases("جونيور|الابن|جي أر|جي آر|الأب|الأصغر")

# Words already in dictionary form, whose first letter is not a proclitic: «وليد», «بغداد».
_WHOLE_WORDS = PLACE_WORDS | ROLE_WORDS | ORG_HEADS | GIVEN_NAMES
# Bare words a preposition may be taken off without an article: «بمصر», «لوزارة».
_PREPOSITION_STEMS = PLACE_WORDS | ORG_HEADS


@lru_cache(maxsize=1 << 18)
def dictionary_form(norm: str) -> str:
    """A normalised word without و/ف/ب/ل/ك proclitics but keeping ال: the form the lexicons
    hold («وللقاهرة» → «القاهرة», «بمصر» → «مصر»); lexicon words stay whole.

    Cached: the tagger and its rules ask it of every token several times.
    """
    return strip_proclitics(norm, keep_article=True, whole=_WHOLE_WORDS, stems=_PREPOSITION_STEMS)


def nisba_shape(norm: str) -> str | None:
    """``norm`` without «و» if it is shaped like a definite relative adjective (ال…ي/ال…ية)."""
    bare = norm[1:] if norm.startswith("وال") else norm  # «والمصرية», not «بالإسكندرية»
    if bare.startswith("ال") and len(bare) >= 6 and (bare.endswith("يه") or bare.endswith("ي")):
        return bare
    return None


def is_nisba(norm: str) -> bool:
    """A definite relative adjective: «المصرية», «الوطني»; not «للسباحة» nor a word of a curated
    place name («الإسكندرية», also «العربية» of «الإمارات العربية المتحدة»: a CRF feature)."""
    bare = nisba_shape(norm)
    return bare is not None and bare not in PLACE_WORDS
