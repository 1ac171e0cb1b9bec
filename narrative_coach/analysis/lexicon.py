"""Word lists the narrative features are built from.

Written for this project (no third-party lexicon, so no licence question). Each list is a
linguistic category, not a memory of the corpus: pronoun person and number, tense, time
expressions, modality, asks, community nouns, values, hardship, choice, lesson, hope, urgency,
sensory detail, resume talk and the routine of public meetings. Multi-word entries are matched on
the lower-cased sentence with word boundaries.
"""

from __future__ import annotations


def _w(s: str) -> frozenset[str]:
    return frozenset(s.split())


FIRST_SINGULAR = _w("i me my mine myself i'm i've i'd i'll im ive")
FIRST_PLURAL = _w("we us our ours ourselves we're we've we'll we'd let's lets")
SECOND = _w("you your yours yourself yourselves you're you've you'll you'd y'all")
THIRD = _w("he she him her his hers they them their theirs himself herself themselves")

FAMILY = _w(
    """mother father mom dad mama papa mum grandmother grandfather grandma grandpa granny brother brothers
    sister sisters son sons daughter daughters wife husband aunt uncle cousin cousins parents grandparents
    nephew niece stepfather stepmother"""
)
CHILDHOOD = _w("kid kids child boy girl teenager teenage childhood grew growing young younger")

PAST_AUX = _w("was were had did wasn't weren't hadn't didn't used")
IRREGULAR_PAST = _w(
    """went saw came told made took got gave found knew thought felt left kept brought began sat stood
    heard said ran became grew lost won wrote spoke met paid drove held fell caught taught led bought
    sent spent built slept woke rode broke chose wore understood forgot hung swore shook struck threw
    sang sank rang drank ate hid fed fought"""
)
ED_EXCEPTIONS = _w(
    """need red bed hundred seed feed speed indeed breed shed sled proud fed wed sacred naked wicked
    beloved"""
)
PRESENT_AUX = _w("is are am isn't aren't do does don't doesn't has have haven't hasn't 's 're")
FUTURE_MODAL = _w("will won't 'll shall gonna")
OBLIGATION = _w("must need needs have has should ought cannot can't")
ABILITY = _w("can could would might may")

TIME_NOW = _w("now today tonight currently nowadays")
TIME_NOW_PHRASES = (
    "right now", "this year", "this week", "this month", "this fall", "this spring", "this summer",
    "this winter", "this season", "this moment", "at this moment", "these days", "this morning",
    "this evening", "this election", "next week", "next month", "next year", "in the coming",
)
TIME_PAST_PHRASES = (
    "years ago", "year ago", "months ago", "back then", "that day", "that night", "that morning",
    "that evening", "that afternoon", "that summer", "that winter", "that year", "that spring",
    "that fall", "when i was", "as a kid", "as a child", "as a boy", "as a girl", "growing up",
    "grew up", "one day", "one night", "one morning", "the day", "the night", "i remember",
    "i'll never forget", "i will never forget", "at the time", "when we were", "long ago", "back when",
)
HISTORY = _w(
    """history generations generation ancestors founded founders forebears tradition heritage
    legacy pioneers centuries century rebuilt survived endured weathered always"""
)
HISTORY_PHRASES = (
    "we have always", "we've always", "we have been", "this is a city", "this is a town",
    "this is a community", "we are a city", "we are a town", "we are a people", "came through",
    "we rebuilt", "we survived", "we have never", "we've never", "time and again", "before us",
    "who came before", "this city has", "this town has", "our city has", "our town has", "our history",
    "we know what it", "we are the kind", "we're the kind", "kind of place", "kind of city",
)

PROBLEM = _w(
    """still yet facing face faces problem problems challenge challenges threat threats crisis shortage
    backlog broken failing gap gaps waitlist behind short unsafe leaking"""
)
PROBLEM_PHRASES = ("not yet", "as we speak", "the time has come", "right now", "is not over", "are not over", "no longer")
WEEKDAYS = _w("monday tuesday wednesday thursday friday saturday sunday")
MONTHS = _w("january february march april may june july august september october november december")
DEADLINE_WORDS = _w("deadline deadlines by until before due expires expire ballot election vote")
CLOCK = ("a.m.", "p.m.", "o'clock", "noon", "midnight")

URGENCY = _w(
    """urgent urgency crisis emergency immediately now tonight today deadline risk danger losing lose
    disappearing dying closing shutting collapse worse worsening rising running stake waiting wait
    late sooner faster every"""
)
URGENCY_PHRASES = (
    "cannot wait", "can't wait", "can not wait", "running out", "too late", "every day", "every night",
    "every week", "every year", "at stake", "if we wait", "if we do nothing", "if we don't", "if we do not",
    "before it", "right now", "time is", "no longer", "we cannot afford", "we can't afford", "clock is",
    "will close", "will lose", "are losing", "is closing", "this year alone", "last year alone",
)
HOPE = _w(
    """imagine picture hope hopeful dream dreams future vision someday tomorrow brighter possible
    promise better thrive thriving flourish renewed new bloom"""
)
HOPE_PHRASES = (
    "one day", "will be", "could be", "can be", "we will", "we'll", "a city where", "a town where",
    "a place where", "a future", "years from now", "next generation", "our children will",
    "our kids will", "when we", "we can build", "we can make",
)
ASK_VERBS = _w(
    """join sign vote volunteer register call come show bring pledge commit donate testify attend
    write email text knock stand march meet tell share enroll apply adopt mentor organize canvass
    contact attend send fill pick talk help give return wear recruit"""
)
ASK_PHRASES = (
    "i am asking", "i'm asking", "i ask", "i ask you", "i need you", "i want you to", "i urge",
    "i invite", "i challenge", "we need you", "please", "sign up", "show up", "come to", "join us",
    "join me", "let's", "lets ", "will you", "would you", "can you", "i'm inviting", "i am inviting",
    "i am calling on", "i'm calling on", "i call on", "we are asking", "we're asking",
)
VAGUE_ASK = (
    "get involved", "stay engaged", "be engaged", "do your part", "make a difference", "spread the word",
    "stay informed", "stay tuned", "support us", "get engaged", "do something", "play your part",
    "lend a hand", "step up", "think about", "consider", "in any way", "however you can", "whatever you can",
    "be part of", "be a part of",
)
COMMUNITY = _w(
    """city town village neighborhood neighbourhood neighbors neighbours neighbor community communities
    residents citizens people nation country america americans county state generation together everyone
    everybody families workers members block street streets public region district borough parish
    congregation union folks society humanity mankind"""
)
VALUES = _w(
    """justice dignity freedom liberty fairness fair equality equal courage faith responsibility respect
    compassion kindness opportunity service sacrifice duty honor honour love trust belonging solidarity
    decency integrity generosity hospitality resilience resilient grit perseverance welcome welcoming
    neighborly care caring values value believe belief democracy rights truth hard-working brave"""
)
HARDSHIP = _w(
    """lost lose losing died death dead dying sick illness cancer hard harder struggle struggled
    struggling afraid fear feared scared poor poverty hungry hunger homeless evicted eviction fired
    layoff laid broke pain hurt injured flood flooded fire burned shooting shot violence debt worried
    cried tears alone lonely ashamed failed failure addiction overdose bullied drowned sank collapsed
    storm hurricane heat accident wrecked diagnosis diagnosed unemployed bankrupt crash cold"""
)
CHOICE = _w(
    """decided decide chose choose choice resolved vowed promised quit enlisted volunteered
    started founded organized"""
)
CHOICE_PHRASES = (
    "made up my mind", "signed up", "stood up", "said yes", "i ran for", "decided to", "i knew i had to",
    "i had to", "i could have", "i chose", "i went back", "i started", "i joined", "i walked", "i picked up",
    "i called", "i asked", "so i", "that's when i", "that is when i", "i made a", "i promised", "i began",
)
LESSON = _w("learned taught realized realize understood lesson lessons discovered changed")
LESSON_PHRASES = (
    "since then", "ever since", "that's why", "that is why", "why i'm", "why i am", "showed me",
    "taught me", "i learned", "i realized", "i understood", "i never forgot", "i've never forgotten",
    "i have never forgotten", "i still", "to this day", "it changed", "i became", "made me",
    "i carry", "stayed with me", "because of that", "that is what", "that's what",
)
SENSORY = _w(
    """saw heard smell smelled smelt sound sounds voice cold hot warm dark light rain snow kitchen porch
    hands hand eyes face door floor car table bus window river smoke water mud wind night morning
    shoes coat bed room street corner taste felt red blue green yellow quiet loud shouting siren"""
)
RESUME = _w(
    """served elected appointed degree graduated career experience director chair chaired board
    commissioner award awards credentials qualifications resume bachelor's master's certified
    background tenure administration portfolio"""
)
RESUME_PHRASES = (
    "served as", "years of experience", "i have served", "i've served", "my career", "my background",
    "i was elected", "i was appointed", "i hold a", "i oversaw", "i managed", "my record",
)
GREETING = _w(
    """thank thanks grateful welcome honored honoured pleased delighted privilege ladies gentlemen
    evening morning afternoon hello applause"""
)
GREETING_PHRASES = (
    "good morning", "good evening", "good afternoon", "thank you", "ladies and gentlemen",
    "it is an honor", "it's an honor", "it is a pleasure", "it's a pleasure", "i want to thank",
    "i'd like to thank", "i would like to thank", "please be seated", "welcome to", "grateful to",
)
LOGISTICS = _w(
    """agenda restrooms parking refreshments microphone speaker speakers minutes presentation
    slide slides handout session questions q&a reception program remarks introduce introduction
    housekeeping item items page schedule"""
)
POLICY = _w(
    """budget fiscal percent percentage million billion thousand funding fund funds revenue revenues
    appropriation department departments program programs allocation contract contracts ordinance
    report quarter quarterly audit staff capital tax taxes levy bond bonds expenditure expenditures
    spending cost costs dollars fee fees metrics rate rates total increase decrease line ratio
    inventory procurement compliance implementation initiative initiatives phase plan planning"""
)
NUMBER_WORDS = _w(
    """one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    hundred hundreds thousand thousands million millions billion half dozen"""
)
EMOTION_NEG = _w(
    """angry anger outrage outraged furious sad grief grieving heartbroken afraid fear scared
    terrified ashamed shame despair hopeless lonely anxious anxiety worried devastated"""
)
EMOTION_POS = _w(
    """proud pride joy joyful happy glad love loved grateful hope hopeful inspired excited courage
    brave strong strength together"""
)
INERTIA = _w("someday eventually later wait waiting patience patient normal routine usual comfortable")
INERTIA_PHRASES = ("business as usual", "not our problem", "someone else", "not my problem", "can wait", "next year")
ISOLATION = _w("alone lonely isolated isolation nobody ourselves apart divided")
SOLIDARITY = _w("together solidarity united unite neighbors neighbours one shared share everyone all")
SELF_DOUBT = _w("can't cannot powerless helpless small impossible hopeless")
EFFICACY_PHRASES = (
    "you can", "we can", "you have the power", "your voice", "you matter", "make a difference",
    "it works", "it worked", "we did it", "we've done it", "we have done it", "we can do",
)
APATHY = _w("apathy apathetic indifferent indifference whatever shrug")
ANGER = EMOTION_NEG & _w("angry anger outrage outraged furious")

IMPERATIVE_STARTERS = ASK_VERBS | _w(
    """let imagine picture think remember look listen go take make stop keep start try find get put
    ask see walk read learn look don't do be"""
)
STOP = _w(
    """a an the and or but so if then than that this these those there here of to in on at by for with
    from into onto about as is are was were be been being am it its it's i me my we us our you your he
    she him her his they them their not no yes do does did done have has had will would could should
    can may might must shall just very also too all any some more most much many such what which who
    whom whose when where why how because while up down out over under again only own same other
    each few both nor off once one said says say get got go going went come came make made like know
    now today really there's that's let's i'm we're you're they're it's don't can't won't didn't
    thing things way lot well even still every year years day days time times back new good before
    after never always ever those them been into than just about there people"""
)
ENGLISH_COMMON = _w(
    """the and of to a in is it that was for on are with as i be at by this have from or had not but
    what all were we when your can said there an each which she do how their if will up other about
    out many then them these so some her would make like him into time has two more go no way could my
    than first been who its now people our you me they he his"""
)
