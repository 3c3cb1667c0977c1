"""The demo clinic: categories, clinicians, site settings and articles.

Written for this project as plain patient education; every name, address and number is
fictional. Article bodies live beside this module in `articles/<slug>.md` so they read and
diff like the Markdown editors type in the admin.
"""

from dataclasses import dataclass
from pathlib import Path

ARTICLE_FOLDER = Path(__file__).resolve().parent / "articles"

CATEGORIES = [
    {
        "slug": "back-and-spine",
        "name": "Back & Spine",
        "position": 1,
        "description": (
            "Lower back pain, neck pain and sciatica: what causes them, what you can do yourself, "
            "and the treatments a pain clinic can offer."
        ),
    },
    {
        "slug": "joints-and-arthritis",
        "name": "Joints & Arthritis",
        "position": 2,
        "description": "Living well with osteoarthritis and other painful joints, from exercise to injections.",
    },
    {
        "slug": "nerve-pain",
        "name": "Nerve Pain",
        "position": 3,
        "description": (
            "Burning, tingling and shooting pain from damaged or irritated nerves, such as neuropathy and "
            "pain after shingles."
        ),
    },
    {
        "slug": "headache-and-migraine",
        "name": "Headache & Migraine",
        "position": 4,
        "description": "Understanding frequent headaches and migraine, finding patterns and using treatments well.",
    },
    {
        "slug": "living-with-chronic-pain",
        "name": "Living with Chronic Pain",
        "position": 5,
        "description": (
            "Sleep, pacing, appointments and the everyday skills that make long-term pain easier to live with."
        ),
    },
]

CLINICIANS = [
    {
        "slug": "amara-okafor",
        "name": "Dr. Amara Okafor",
        "credentials": "MD, Pain Medicine",
        "role": "Medical Director",
        "palette": "teal",
        "bio": (
            "Dr. Okafor trained in anesthesia before specializing in pain medicine. She has led the clinic "
            "for eleven years and cares most about plans patients can actually follow at home."
        ),
    },
    {
        "slug": "daniel-reyes",
        "name": "Dr. Daniel Reyes",
        "credentials": "DO, Physical Medicine & Rehabilitation",
        "role": "Interventional Pain Physician",
        "palette": "blue",
        "bio": (
            "Dr. Reyes performs the clinic's spinal injections and nerve procedures, and always pairs them "
            "with an exercise plan. Outside work he coaches a junior rowing team."
        ),
    },
    {
        "slug": "priya-nair",
        "name": "Dr. Priya Nair",
        "credentials": "MD, Neurology",
        "role": "Headache and Nerve Pain Specialist",
        "palette": "lilac",
        "bio": (
            "Dr. Nair runs the clinic's headache service and nerve pain clinic. She believes a good "
            "headache diary is worth more than any scan."
        ),
    },
]


@dataclass(frozen=True)
class DemoArticle:
    """One demo article. Times are relative to now so the demo always looks current."""

    slug: str
    title: str
    category: str
    summary: str
    author: str
    drawing: str
    palette: str
    hero_alt: str
    reviewer: str | None = None
    published_days_ago: int | None = 30  # None: a draft; negative: scheduled in the future
    reviewed_days_ago: int | None = 20
    seed: int = 1

    @property
    def body(self):
        return (ARTICLE_FOLDER / f"{self.slug}.md").read_text(encoding="utf-8")


ARTICLES = [
    DemoArticle(
        slug="interventional-treatments-lower-back-pain",
        title="Interventional treatments for lower back pain",
        category="back-and-spine",
        summary=(
            "The injections, nerve treatments and implanted devices a pain specialist may suggest for lower "
            "back pain, the conditions they help, and the questions to ask before you decide."
        ),
        author="daniel-reyes",
        reviewer="amara-okafor",
        drawing="spine",
        palette="teal",
        hero_alt="An abstract drawing of a gently curved spine, vertebrae in teal with soft orange discs.",
        published_days_ago=12,
        reviewed_days_ago=14,
        seed=11,
    ),
    DemoArticle(
        slug="sciatica-leg-pain-from-the-back",
        title="Sciatica: when leg pain starts in your back",
        category="back-and-spine",
        summary=(
            "Why an irritated nerve root in the lower back can cause pain down the leg, what helps in the first "
            "weeks, and which signs need urgent attention."
        ),
        author="daniel-reyes",
        reviewer="priya-nair",
        drawing="waves",
        palette="teal",
        hero_alt="Soft teal and orange lines running in waves across the picture, like a nerve signal.",
        published_days_ago=26,
        reviewed_days_ago=30,
        seed=12,
    ),
    DemoArticle(
        slug="knee-osteoarthritis-what-helps",
        title="Knee osteoarthritis: what really helps",
        category="joints-and-arthritis",
        summary=(
            "Exercise, weight and understanding your knee do the most good; creams, injections and surgery "
            "have their place too. A practical guide."
        ),
        author="amara-okafor",
        reviewer="daniel-reyes",
        drawing="joint",
        palette="sage",
        hero_alt="An abstract drawing of two rounded bones meeting at a joint, with a cushion between them.",
        published_days_ago=420,
        reviewed_days_ago=430,  # deliberately overdue: the admin's "Review overdue" filter lists it
        seed=13,
    ),
    DemoArticle(
        slug="peripheral-neuropathy-burning-feet",
        title="Burning, tingling feet: understanding peripheral neuropathy",
        category="nerve-pain",
        summary=(
            "What causes nerve damage in the feet and hands, how the pain is treated, and the daily foot care "
            "that keeps you safe."
        ),
        author="priya-nair",
        reviewer="amara-okafor",
        drawing="waves",
        palette="blue",
        hero_alt="Blue and green wavy lines with small white dots, suggesting signals along a nerve.",
        published_days_ago=40,
        reviewed_days_ago=45,
        seed=14,
    ),
    DemoArticle(
        slug="keeping-a-headache-diary",
        title="Keeping a headache diary that actually helps",
        category="headache-and-migraine",
        summary=(
            "A few lines a day can reveal your headache pattern, your triggers and how well treatments work. "
            "Here is what to record and how to use it."
        ),
        author="priya-nair",
        reviewer="amara-okafor",
        drawing="ripples",
        palette="lilac",
        hero_alt="Concentric lilac and gold rings spreading out from a warm center, like ripples on water.",
        published_days_ago=5,
        reviewed_days_ago=7,
        seed=15,
    ),
    DemoArticle(
        slug="medication-overuse-headache",
        title="When headache tablets cause headaches",
        category="headache-and-migraine",
        summary=(
            "Taking painkillers on many days a month can make headaches more frequent. How to recognize "
            "medication overuse headache and break the cycle."
        ),
        author="priya-nair",
        reviewer="daniel-reyes",
        drawing="ripples",
        palette="blue",
        hero_alt="Blue rings spreading from a soft green center across a pale blue background.",
        published_days_ago=60,
        reviewed_days_ago=62,
        seed=16,
    ),
    DemoArticle(
        slug="sleep-and-chronic-pain",
        title="Sleeping better when you live with pain",
        category="living-with-chronic-pain",
        summary=(
            "Pain disturbs sleep and poor sleep turns up pain. Practical steps to break the cycle, from regular "
            "hours to comfortable positions."
        ),
        author="amara-okafor",
        reviewer="priya-nair",
        drawing="landscape",
        palette="lilac",
        hero_alt="Gentle lilac hills under a low golden sun, in the calm of early evening.",
        published_days_ago=18,
        reviewed_days_ago=20,
        seed=17,
    ),
    DemoArticle(
        slug="pacing-the-boom-and-bust-cycle",
        title="Pacing: stepping off the boom-and-bust cycle",
        category="living-with-chronic-pain",
        summary=(
            "Doing a steady amount every day, then building up slowly, helps most people do more with fewer "
            "flare-ups. How to find your baseline."
        ),
        author="daniel-reyes",
        reviewer="amara-okafor",
        drawing="landscape",
        palette="sand",
        hero_alt="Layered brown and sand-colored hills under a soft teal sun.",
        published_days_ago=33,
        reviewed_days_ago=35,
        seed=18,
    ),
    DemoArticle(
        slug="shingles-and-postherpetic-neuralgia",
        title="Shingles and the pain that can follow it",
        category="nerve-pain",
        summary=(
            "Why early treatment of shingles matters, what postherpetic neuralgia feels like, and the treatments "
            "and vaccine that help."
        ),
        author="priya-nair",
        reviewer="amara-okafor",
        drawing="waves",
        palette="sage",
        hero_alt="Soft green and coral waves drifting across a pale green background.",
        published_days_ago=-7,  # scheduled: editors see an article waiting for its publish time
        reviewed_days_ago=3,
        seed=19,
    ),
    DemoArticle(
        slug="preparing-for-your-first-pain-clinic-visit",
        title="Preparing for your first pain clinic visit",
        category="living-with-chronic-pain",
        summary="What happens at a first appointment, what to bring, and questions worth asking.",
        author="amara-okafor",
        reviewer=None,
        drawing="landscape",
        palette="teal",
        hero_alt="Calm teal hills under a warm orange sun.",
        published_days_ago=None,  # a draft, still waiting for its medical review
        reviewed_days_ago=None,
        seed=20,
    ),
]
