import math
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.images import ImageRenditions, delete_renditions, figure_html, refresh_renditions, validate_image
from core.richtext import render_markdown, word_count
from core.uploads import SafeImageField
from revisions.models import Revision

NAVIGATION_CACHE_KEY = "nav-categories:v1"
SEARCH_CONFIG = "english"
WORDS_PER_MINUTE = 200


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Lower numbers come first."))

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    @classmethod
    def navigation(cls):
        """Categories for the site header, cached until a category changes."""
        categories = cache.get(NAVIGATION_CACHE_KEY)
        if categories is None:
            categories = [(c.name, c.get_absolute_url(), c.slug) for c in cls.objects.only("name", "slug")]
            cache.set(NAVIGATION_CACHE_KEY, categories, 3600)
        return categories

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(NAVIGATION_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(NAVIGATION_CACHE_KEY)
        return result


class Clinician(models.Model):
    """An author or medical reviewer of articles."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    credentials = models.CharField(max_length=120, blank=True, help_text=_('For example "MD, Pain Medicine".'))
    role = models.CharField(max_length=120, blank=True, help_text=_('For example "Medical Director".'))
    bio = models.TextField(blank=True)
    email = models.EmailField(
        blank=True,
        help_text=_("Private: tells this author about new published comments on their articles. Never shown."),
    )
    photo = SafeImageField(upload_to="clinicians/", blank=True, validators=[validate_image])
    photo_alt = models.CharField(max_length=200, blank=True)
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinician",
        verbose_name=_("login"),
        help_text=_("The staff login of this clinician, so their medical approvals carry their name."),
    )

    class Meta:
        ordering = ["name"]
        # Which login is a clinician's decides who may approve and whose name is credited.
        permissions = [("link_clinician_login", "Can link a clinician to a staff login")]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("articles:clinician", kwargs={"slug": self.slug})

    @property
    def picture(self):
        return ImageRenditions(self.photo, self.photo_renditions, self.photo_alt or self.name)

    def save(self, *args, **kwargs):
        refresh_renditions(self, "photo", "photo_renditions")
        super().save(*args, **kwargs)


def person_name(user):
    """How the clinic names a staff member: a clinician by their clinician name, anyone else by
    their full name, and by their login only when neither is known."""
    clinician = Clinician.objects.filter(user_id=user.pk).only("name").first() if user.pk else None
    return clinician.name if clinician else (user.get_full_name() or user.get_username())


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule: published status and a publish time that has passed."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def for_page(self):
        """What the article page shows with it: its category and clinicians, in the same query."""
        return self.select_related("category", "author", "reviewer", "live_approval__clinician")

    def for_listing(self):
        """What list pages and feeds show, with the joins they need and without the body."""
        return self.select_related("category", "author").defer("body", "body_html", "toc")

    def refresh_search_documents(self):
        """Recompute these articles' search entries (PostgreSQL only; SQLite searches with FTS5).

        A trigger already does this on every write (migration 0006); this is for rows written
        around it, such as a restore with triggers disabled.
        """
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO articles_searchentry (article_id, status, publish_at, document) "
                "SELECT id, status, publish_at, articles_search_document(title, summary, body) "
                "FROM articles_article WHERE id = ANY(%s) "
                "ON CONFLICT (article_id) DO UPDATE SET status = EXCLUDED.status, "
                "publish_at = EXCLUDED.publish_at, document = EXCLUDED.document "
                # Unchanged entries are left alone: no new row versions for the index to skip.
                "WHERE (articles_searchentry.status, articles_searchentry.publish_at, articles_searchentry.document) "
                "IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.publish_at, EXCLUDED.document)",
                [list(self.values_list("pk", flat=True))],
            )
            return cursor.rowcount

    def review_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(review_due_on__lt=today) | Q(review_due_on__isnull=True))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    summary = models.TextField(max_length=400, help_text=_("One or two sentences shown in lists and search results."))
    body = models.TextField(
        help_text=_(
            "Use the toolbar, or type: ## Heading, **bold**, *italic*, - list item, "
            "1. numbered item, > quote, [link text](https://…)."
        )
    )
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(default=list, editable=False, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    hero_image = SafeImageField(upload_to="articles/", blank=True, validators=[validate_image])
    hero_alt = models.CharField(
        max_length=200, blank=True, help_text=_("Describe the image for readers who cannot see it.")
    )
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    author = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="authored_articles")
    reviewer = models.ForeignKey(
        Clinician,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
        null=True,
        blank=True,
        verbose_name=_("medical reviewer"),
    )
    review_due_on = models.DateField(_("review due"), null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publish at"),
        default=timezone.now,
        help_text=_("A future time keeps the article hidden until then."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    revised_at = models.DateTimeField(
        _("text updated"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a newer version of the published text went live; empty until then."),
    )
    seo_title = models.CharField(max_length=70, blank=True, help_text=_("Defaults to the title."))
    seo_description = models.CharField(max_length=160, blank=True, help_text=_("Defaults to the summary."))
    comments_open = models.BooleanField(default=True)
    live_revision = models.ForeignKey(
        "revisions.Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    live_approval = models.ForeignKey(
        "ReviewDecision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("approve_article", "Can approve or send back medical content"),
            ("publish_article", "Can publish medically approved articles"),
        ]
        indexes = [
            models.Index(fields=["status", "-publish_at", "-id"], name="article_listing_idx"),
            models.Index(fields=["category", "status", "-publish_at", "-id"], name="article_category_idx"),
        ]

    @classmethod
    def next_scheduled_publication(cls):
        """When the next scheduled article or scheduled change goes live, or None. A change whose time
        has passed waits for the worker, not for a reader: counting it would keep no page at all."""
        now = timezone.now()
        upcoming = cls.objects.filter(status=cls.Status.PUBLISHED, publish_at__gt=now)
        times = [
            upcoming.order_by("publish_at").values_list("publish_at", flat=True).first(),
            ReviewDecision.objects.filter(pending=True, publish_at__gt=now)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first(),
        ]
        times = [when for when in times if when is not None]
        return min(times) if times else None

    def __str__(self):
        return self.title

    @staticmethod
    def credited_to(clinician):
        """Articles a clinician is credited with: written, or with a live text they approved (the
        credit on the page comes from that approval, not from the reviewer named for the next one).
        `clinician` may be an object, a pk or an OuterRef."""
        return Q(author=clinician) | Q(live_approval__clinician=clinician)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": _("Please describe the image for readers who cannot see it.")})

    def render_body(self, revision_content=None):
        """(html, toc) of the body, with images in place of their `[image:<id>]` lines: those a
        revision's content keeps, or else the images as they are now (the editor's working copy)."""
        images = (revision_content or {}).get("images")
        if images is None:
            shown = list(self.images.all()) if self.pk else []
        else:
            renditions = {**self.image_renditions_content(), **revision_content.get("image_renditions", {})}
            shown = [ArticleImage.from_content(entry, renditions) for entry in images]
        return render_markdown(self.body, figures={image.pk: image.figure for image in shown})

    def images_content(self):
        """The images in the text as a revision keeps them: what readers see of each one."""
        return [image.content for image in self.images.all()] if self.pk else []

    def image_renditions_content(self):
        """The renditions of each image file in the text, by file name, so a revision can still show
        its images after their rows have moved on to new files."""
        return {image.image.name: image.renditions for image in self.images.all()} if self.pk else {}

    def shown_revision_content(self):
        """The content of the revision a published article's page shows (None: the row as it is)."""
        if self.status != self.Status.PUBLISHED or not self.live_revision_id:
            return None
        return self.live_revision.content

    def save(self, *args, **kwargs):
        self.body_html, self.toc = self.render_body(self.shown_revision_content())
        self.reading_minutes = max(1, math.ceil(word_count(self.body) / WORDS_PER_MINUTE))
        refresh_renditions(self, "hero_image", "hero_renditions")
        previous_slug = Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first() if self.pk else None
        super().save(*args, **kwargs)
        # The current slug always wins over an old address that used to point elsewhere.
        SlugRedirect.objects.filter(old_slug=self.slug).delete()
        if previous_slug and previous_slug != self.slug:
            SlugRedirect.objects.update_or_create(old_slug=previous_slug, defaults={"article": self})

    @property
    def hero(self):
        return ImageRenditions(self.hero_image, self.hero_renditions, self.hero_alt)

    @property
    def reviewed_on(self):
        """The day the live text was medically approved (from its approval record), or None."""
        return self.live_approval.reviewed_on if self.live_approval_id else None

    @property
    def updated_on(self):
        """The day readers' text last changed, when that is later than the day it was first
        published: the page says "Updated on" only then."""
        if self.revised_at is None or self.revised_at <= self.publish_at:
            return None
        updated_on = timezone.localdate(self.revised_at)
        return updated_on if updated_on > timezone.localdate(self.publish_at) else None

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_review_overdue(self):
        return self.review_due_on is None or self.review_due_on < timezone.localdate()

    @property
    def meta_title(self):
        return self.seo_title or self.title

    @property
    def meta_description(self):
        return self.seo_description or self.summary


class ReviewDecision(models.Model):
    """One step of an article's medical review, bound to the exact revision it is about: a
    submission, an approval, a request for changes, a scheduled or done publication. Kept for good:
    the article's admin page shows them as its log, and the public "Medically reviewed by … on …"
    line is the approval of the live revision."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for medical review")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_decisions")
    revision = models.ForeignKey("revisions.Revision", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clinician = models.ForeignKey(
        Clinician,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approvals",
        help_text=_("For an approval: the clinician credited as the medical reviewer."),
    )
    comment = models.TextField(blank=True)
    allows_minor_edits = models.BooleanField(
        default=False, help_text=_("For an approval: typo-only corrections may be published without a new review.")
    )
    publish_at = models.DateTimeField(null=True, blank=True)
    pending = models.BooleanField(default=False, help_text=_("A scheduled publication not yet carried out."))
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["pending", "publish_at"], name="review_scheduled_idx")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.article_id} · {self.created:%Y-%m-%d}"

    @property
    def reviewed_on(self):
        return timezone.localdate(self.created)

    @property
    def who(self):
        """The person who took this step, as the log shows them."""
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        return self.clinician.name if self.clinician is not None else "—"


class ReviewReminder(models.Model):
    """A day's reminder email to one reviewer or editor, so the daily command sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="review_reminder_once_a_day")]

    def __str__(self):
        return f"{self.user_id} · {self.day}"


class SlugRedirect(models.Model):
    """An article's earlier slug, so links to the old address keep working (301)."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"

    @classmethod
    def current_slug(cls, old_slug):
        """The slug a published article now has, if `old_slug` was once its address (else None)."""
        return (
            cls.objects.filter(old_slug=old_slug, article__in=Article.objects.published())
            .values_list("article__slug", flat=True)
            .first()
        )


class SearchEntry(models.Model):
    """An article's row in PostgreSQL's search index: its document and what search filters and sorts by.

    The document (title above summary above body, stemmed in English) sits in a narrow table of its
    own, stored out of line, so finding the newest matches of a common word reads a few small pages
    instead of every match's full article row (docs/PERFORMANCE.md). Triggers keep it in step with
    every write to articles (migration 0006). SQLite searches with FTS5 and leaves it empty.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, related_name="search_entry", editable=False
    )
    status = models.CharField(max_length=10, editable=False)
    publish_at = models.DateTimeField(editable=False)
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return str(self.article_id)


def add_months(day, months):
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


class ArticleImage(models.Model):
    """An image shown inside an article's text, where the editor writes `[image:<id>]`."""

    # The widest the text column shows an image at; a narrower upload is shown blurred.
    SHOWN_WIDTH = 800
    SIZES = "(min-width: 56em) 42rem, calc(100vw - 2rem)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    image = SafeImageField(upload_to="articles/figures/", validators=[validate_image])
    alt = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(max_length=300, blank=True, help_text=_("Shown under the image (optional)."))
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("image in the text")
        verbose_name_plural = _("images in the text")

    def __str__(self):
        return self.alt

    @property
    def marker(self):
        """What the editor writes on a line of its own to show the image there."""
        return f"[image:{self.pk}]"

    @property
    def figure(self):
        return figure_html(ImageRenditions(self.image, self.renditions, self.alt), self.caption, sizes=self.SIZES)

    @property
    def content(self):
        """What readers see of this image, as a revision keeps it."""
        return {"id": self.pk, "image": self.image.name, "alt": self.alt, "caption": self.caption}

    @classmethod
    def from_content(cls, entry, renditions):
        """The image as a revision kept it (in memory, never saved), to draw its figure."""
        return cls(
            pk=entry["id"],
            image=entry["image"],
            alt=entry["alt"],
            caption=entry["caption"],
            renditions=renditions.get(entry["image"], {}),
        )

    def save(self, *args, **kwargs):
        if self.renditions and self._replaces_file() and self._kept_by_a_revision(self.renditions.get("source")):
            self.renditions = {}  # the old file and its renditions stay for the revisions that show them
        refresh_renditions(self, "image", "renditions")
        super().save(*args, **kwargs)
        self._refresh_draft_body()

    def delete(self, *args, **kwargs):
        if not self._kept_by_a_revision(self.image.name):
            delete_renditions(self.renditions)
        result = super().delete(*args, **kwargs)
        self._refresh_draft_body()
        return result

    def _replaces_file(self):
        return bool(self.image) and (not self.image._committed or self.renditions.get("source") != self.image.name)

    def _kept_by_a_revision(self, name):
        """Whether a kept revision of the article shows the file `name` (so it must stay)."""
        if not name:
            return False
        history = Revision.objects.for_object(Article(pk=self.article_id)).values_list("content", flat=True)
        return any(entry.get("image") == name for content in history for entry in content.get("images") or [])

    def _refresh_draft_body(self):
        """An unpublished article's stored HTML shows the image as it is now; a published one keeps
        showing its live revision's images until a new revision is published."""
        article = Article.objects.filter(pk=self.article_id).exclude(status=Article.Status.PUBLISHED).first()
        if article is not None:
            body_html, toc = article.render_body()
            Article.objects.filter(pk=article.pk).update(body_html=body_html, toc=toc)


class SearchWord(models.Model):
    """A word of published articles' text and how many of them use it: PostgreSQL's vocabulary for
    "did you mean" (articles/suggestions.py), matched by trigram similarity.

    Triggers keep the counts in step with every write to articles (migration 0012), as they keep
    SearchEntry. SQLite reads its vocabulary from an FTS5 index instead and leaves this empty.
    """

    word = models.CharField(max_length=40, primary_key=True, editable=False)
    articles = models.PositiveIntegerField(editable=False)

    def __str__(self):
        return self.word


def normalise_phrase(text):
    """A phrase as search compares it: lower case, single spaces."""
    return " ".join(str(text).lower().split())


class SearchSynonym(models.Model):
    """Words readers search with and the words articles use for the same thing ("slipped disc" →
    "herniated disc"): a search containing `term` also finds articles matching any of `synonyms`."""

    term = models.CharField(
        _("when readers search for"),
        max_length=100,
        unique=True,
        help_text=_("A word or phrase readers type, for example “slipped disc”."),
    )
    synonyms = models.TextField(
        _("also search for"),
        help_text=_("Words or phrases our articles use for the same thing, separated by commas or on separate lines."),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")

    def __str__(self):
        return self.term

    def clean(self):
        self.term = normalise_phrase(self.term)
        if not self.phrases:
            raise ValidationError({"synonyms": _("Give at least one word or phrase.")})

    def save(self, *args, **kwargs):
        self.term = normalise_phrase(self.term)
        super().save(*args, **kwargs)

    @property
    def phrases(self):
        """The synonyms as phrases, each normalised, without the term itself or repeats."""
        phrases = (normalise_phrase(part) for part in self.synonyms.replace("\n", ",").split(","))
        return [phrase for phrase in dict.fromkeys(phrases) if phrase and phrase != normalise_phrase(self.term)]
