"""Medical review of articles: nothing medical goes live unreviewed, and every change is kept.

The article row holds the LIVE content, so every public query, feed, sitemap and search index
reads it as before. Each admin save of a published article is kept as a revision only (the row,
and so the page cache, stay untouched); it goes live when `article_publish` copies an approved
revision onto the row. An approval is a `ReviewDecision` bound to one revision, and it carries
over to later revisions only while their medical content is the same: everything a reader sees
(title, summary, body, the search-engine title and description, the main image, the images in
the text with their alt texts and captions) and the people credited. A published article's page
shows the images its live revision keeps; the image rows are the editor's working copy, kept in
each new revision.

Draft → Submit for medical review → In review → Approve or Request changes → Approved → Publish.
The views and the admin actions call the `review_*` and `article_publish` functions below;
`medical_review()` is the one place that says which state an article is in. Around this module:
`review_admin.py` (the screens), `review_mail.py` (who is told), `scheduling.py` (scheduled changes,
carried out by the task worker) and `dashboard.py` (the work waiting for each person).

Words: "medical review" and "review state" belong to articles; reader submissions have a
"moderation status" instead.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import pagecache
from articles import review_mail
from articles.models import Article, ArticleImage, Clinician, ReviewDecision, add_months
from articles.text import unix_line_ends
from articles.typos import is_typo_only
from core.groups import MEDICAL_REVIEWERS
from revisions import apply_content, revision_create
from revisions.models import Revision

CONTENT_FIELDS = [
    "title",
    "slug",
    "category",
    "summary",
    "body",
    "hero_image",
    "hero_alt",
    "author",
    "reviewer",
    "seo_title",
    "seo_description",
]
# Everything a reader sees of the article: its words (the search-engine title and description are
# the page's title and its description in search results and shares), its images (each with its alt
# text and caption, kept beside the fields under "images") and who is credited for it. A change to
# any needs a review.
MEDICAL_FIELDS = (
    "title",
    "summary",
    "body",
    "seo_title",
    "seo_description",
    "hero_image",
    "hero_alt",
    "images",
    "author",
    "reviewer",
)
Action = ReviewDecision.Action


class ReviewError(Exception):
    """A review step that is not allowed now; its message is shown to the editor as it is."""


class ReviewState:
    """Where the newest revision of an article stands in its medical review."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    LIVE = "live"

    labels = {
        DRAFT: gettext_lazy("Draft"),
        IN_REVIEW: gettext_lazy("In review"),
        CHANGES_REQUESTED: gettext_lazy("Changes requested"),
        APPROVED: gettext_lazy("Approved"),
        SCHEDULED: gettext_lazy("Scheduled"),
        LIVE: gettext_lazy("Live"),
    }


@dataclass
class MedicalReview:
    """Where an article stands in its medical review: its newest revision, that revision's review
    state and its approval."""

    article: Article
    latest: Revision | None
    state: str
    approval: ReviewDecision | None
    decisions: list = field(default_factory=list)
    scheduled: ReviewDecision | None = None

    @property
    def has_unpublished_changes(self):
        return (
            self.article.status == Article.Status.PUBLISHED
            and self.latest is not None
            and self.latest.pk != self.article.live_revision_id
        )

    @property
    def state_label(self):
        return ReviewState.labels[self.state]

    @property
    def label(self):
        """What the admin says about the article as a whole, in the same words everywhere."""
        return article_label(
            self.article,
            unpublished=self.has_unpublished_changes,
            draft_state=self.state,
            scheduled_for=self.scheduled.publish_at if self.scheduled else None,
        )


# What a live article with a newer revision says, by that revision's review state: the state is said
# once, inside the label, never beside it.
LIVE_WITH_DRAFT_LABELS = {
    ReviewState.DRAFT: gettext_lazy("Live, with unpublished changes"),
    ReviewState.IN_REVIEW: gettext_lazy("Live, changes in review"),
    ReviewState.CHANGES_REQUESTED: gettext_lazy("Live, changes requested"),
    ReviewState.APPROVED: gettext_lazy("Live, changes approved"),
}


def article_label(article, *, unpublished=False, draft_state=ReviewState.DRAFT, scheduled_for=None):
    if article.status == Article.Status.PUBLISHED:
        if article.is_scheduled:
            return _("Scheduled for %(when)s") % {"when": local_time_text(article.publish_at)}
        if scheduled_for:
            return _("Live, changes scheduled for %(when)s") % {"when": local_time_text(scheduled_for)}
        if unpublished:
            return str(LIVE_WITH_DRAFT_LABELS.get(draft_state, LIVE_WITH_DRAFT_LABELS[ReviewState.DRAFT]))
        return _("Live")
    return str(ReviewState.labels.get(draft_state, ReviewState.labels[ReviewState.DRAFT]))


def decision_label(decision):
    """What the review log says about one step: a publication set for a later time reads as scheduled."""
    Action = ReviewDecision.Action
    if decision.action == Action.SCHEDULED or (
        decision.action == Action.PUBLISHED and decision.publish_at and decision.publish_at > decision.created
    ):
        return _("Scheduled for %(when)s") % {"when": local_time_text(decision.publish_at)}
    return decision.get_action_display()


def local_time_text(moment):
    """A moment as the admin writes it in the clinic's time zone: "3 Mar 2026, 14:30"."""
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def medical_content(content):
    """What a review covers of `content`; line ends are no part of it."""
    medical = {name: content.get(name) for name in MEDICAL_FIELDS}
    for name in ("summary", "body"):
        medical[name] = unix_line_ends(medical[name])
    return medical


# --- Reading the state -------------------------------------------------------------------------------


def history_of(article):
    return Revision.objects.for_object(article)


JUDGED = (Action.APPROVED, Action.CHANGES_REQUESTED)


def approval_for(article, revision, decisions=None, history=None):
    """The approval that covers `revision`: its own, or one of an earlier revision with the same
    medical content, unless changes were requested after it. `decisions` (newest first) and
    `history` (revisions newest first, back at least to the newest one approved or sent back) may
    be given when they were read already; otherwise only the texts since that one are read."""
    if revision is None:
        return None
    decisions = decisions if decisions is not None else list(article.review_decisions.all())
    judged = {decision.revision_id for decision in decisions if decision.action in JUDGED}
    if not judged:
        return None
    if history is None:
        # The newest decision taken on this revision or an earlier one: a later revision's decision
        # (a draft sent back after this one was scheduled) says nothing about this text.
        newest_judged = (
            Revision.objects.filter(pk__in=judged, number__lte=revision.number).order_by("-number").values("number")[:1]
        )
        earlier_revisions = (
            history_of(article)
            .filter(number__lte=revision.number, number__gte=Subquery(newest_judged))
            .only("pk", "number", "content")
        )
    else:
        earlier_revisions = [earlier for earlier in history if earlier.number <= revision.number]
    medical = medical_content(revision.content)
    same = set()
    for earlier in earlier_revisions:
        if medical_content(earlier.content) != medical:
            break
        same.add(earlier.pk)
    for decision in decisions:  # newest first
        if decision.revision_id not in same:
            continue
        if decision.action == Action.CHANGES_REQUESTED:
            return None
        if decision.action == Action.APPROVED:
            return decision
    return None


def medical_review(article, *, history=None, decisions=None):
    """Where `article` stands in its medical review: the one rule for its review state.

    `history` (its revisions newest first, back at least to its newest approval or request for
    changes) and `decisions` (newest first) are read here unless given, as `medical_reviews` does
    for a whole list of articles at once. The log shows each step's revision number and person, never
    its text, so the decisions come without their revisions' content."""
    if history is None:
        latest = history_of(article).select_related("created_by").first()
    else:
        latest = history[0] if history else None
    if decisions is None:
        decisions = list(
            article.review_decisions.select_related("user", "clinician", "revision").defer("revision__content")
        )
    scheduled = next((d for d in decisions if d.action == Action.SCHEDULED and d.pending), None)
    live = article.status == Article.Status.PUBLISHED
    if latest is None:
        state = ReviewState.LIVE if live else ReviewState.DRAFT
        return MedicalReview(article, None, state, article.live_approval, decisions)
    approval = approval_for(article, latest, decisions, history)
    on_latest = [d for d in decisions if d.revision_id == latest.pk and d.action != Action.PUBLISHED]
    last = on_latest[0].action if on_latest else None
    if live and latest.pk == article.live_revision_id:
        state = ReviewState.LIVE
    elif scheduled is not None and scheduled.revision_id == latest.pk:
        state = ReviewState.SCHEDULED
    elif last == Action.SUBMITTED:
        state = ReviewState.IN_REVIEW
    elif last == Action.CHANGES_REQUESTED:
        state = ReviewState.CHANGES_REQUESTED
    elif approval is not None:
        state = ReviewState.APPROVED
    else:
        state = ReviewState.DRAFT
    return MedicalReview(article, latest, state, approval, decisions, scheduled)


def medical_reviews(articles):
    """`medical_review` of each of `articles`, by id, in two queries however many there are (the
    admin list and the admin index). Only the revisions the newest judgement could still cover are
    read: from the newest back to the newest one that was approved or sent back (each step is taken
    on the newest revision, so an older judgement is of an older text). Each step comes with the
    person who took it, as the lists name them."""
    ids = [article.pk for article in articles]
    decisions = {pk: [] for pk in ids}
    for decision in ReviewDecision.objects.filter(article_id__in=ids).select_related("user", "clinician"):
        decisions[decision.article_id].append(decision)  # newest first
    newest_judged = (
        ReviewDecision.objects.filter(article_id=OuterRef("object_id"), action__in=JUDGED)
        .order_by("-revision__number")
        .values("revision__number")[:1]
    )
    newest = Revision.objects.filter(content_type=OuterRef("content_type"), object_id=OuterRef("object_id"))
    histories = {pk: [] for pk in ids}
    content_type = ContentType.objects.get_for_model(Article, for_concrete_model=False)
    revisions = Revision.objects.filter(content_type=content_type, object_id__in=ids).filter(
        number__gte=Coalesce(Subquery(newest_judged), Subquery(newest.order_by("-number").values("number")[:1]))
    )
    for revision in revisions:  # newest first
        histories[revision.object_id].append(revision)
    return {
        article.pk: medical_review(article, history=histories[article.pk], decisions=decisions[article.pk])
        for article in articles
    }


def draft_of(article):
    """The article as its newest revision has it (in memory, nothing saved), for the form and
    the preview. Unchanged when the row already holds the newest revision."""
    latest = history_of(article).first()
    if latest is not None and latest.pk != article.live_revision_id:
        image = article.hero_image.name
        apply_content(article, latest.content)
        if article.hero_image.name != image:
            article.hero_renditions = {}  # made when the draft goes live
        article.body_html, article.toc = article.render_body()
    return article


# --- Who may do what -------------------------------------------------------------------------------


def clinician_of(user):
    return Clinician.objects.filter(user_id=user.pk).first() if user.is_authenticated else None


def may_edit(user):
    return user.has_perm("articles.change_article")


def may_publish(user):
    return user.has_perm("articles.publish_article")


def may_review(user):
    return user.has_perm("articles.approve_article")


def may_link_login(user):
    """Only administrators (the permission is in no staff group) say which login is a clinician's."""
    return user.has_perm("articles.link_clinician_login")


def asked_to_review(user, clinician, revision):
    """Whether `user`, whose own clinician profile is `clinician`, is one asked to approve `revision`:
    its named reviewer, or any clinician where administrators or the setting let any reviewer approve."""
    if clinician is None:  # the public credit names the approver's clinician, so there must be one
        return False
    named = clinician.pk == revision.content.get("reviewer")
    return named or user.is_superuser or settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE


def approval_refusal(user, article, revision):
    """Why `user` may not approve or send back `revision`, or None when they may."""
    if not may_review(user):
        return _("Only medical reviewers can approve articles or request changes.")
    clinician = clinician_of(user)
    if clinician is None:
        return _(
            "Your login is not linked to a clinician profile, so you cannot approve articles or request "
            "changes: readers are told which clinician reviewed each text. Please ask an administrator to "
            "link your login to your clinician profile."
        )
    if not asked_to_review(user, clinician, revision):
        return _("Only the article’s named medical reviewer can approve it or request changes.")
    if settings.ARTICLES_NO_SELF_APPROVAL and user.pk in _writers(article, revision):
        return _("You wrote changes in this version, so another medical reviewer needs to look at it.")
    return None


def _writers(article, revision):
    """Who saved the revisions since the live one, up to `revision`."""
    history = history_of(article).filter(number__lte=revision.number)
    if article.live_revision_id:
        live_number = history_of(article).filter(pk=article.live_revision_id).values_list("number", flat=True).first()
        history = history.filter(number__gt=live_number or 0)
    return set(history.exclude(created_by=None).values_list("created_by_id", flat=True))


def reviewer_refusal(clinician, *, may_approve=None):
    """Why `clinician` cannot be an article's named medical reviewer, or None when they can: only a
    clinician linked to an active login that may approve can ever approve it, and an article named
    for anyone else would wait for them forever. `may_approve` is whether their login may approve,
    when it was read already (`stuck_reasons` reads it for many clinicians at once)."""
    if clinician is None:
        return _("Please name the medical reviewer of this article.")
    login = clinician.user
    if login is None:
        message = _(
            "%(name)s has no login on this site, so they cannot approve it. Please ask an administrator "
            "to link their login, or name another medical reviewer."
        )
    elif not login.is_active:
        message = _(
            "%(name)s’s login is switched off, so they cannot approve it. Please ask an administrator "
            "to switch it on, or name another medical reviewer."
        )
    elif not (may_review(login) if may_approve is None else may_approve):
        message = _(
            "%(name)s is not in the “Medical reviewers” group, so they cannot approve it. Please ask an "
            "administrator to add their login to the group, or name another medical reviewer."
        )
    else:
        return None
    return message % {"name": clinician.name}


def stuck_reasons(reviews):
    """Why each article in review waits for a named reviewer who can no longer approve it (their
    login switched off, taken out of "Medical reviewers", or unlinked from the clinician since it was
    submitted), by article id, for those stuck only; one query for however many there are. Nothing is
    stuck while any medical reviewer may approve."""
    waiting = [current for current in reviews if current.state == ReviewState.IN_REVIEW]
    if settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE or not waiting:
        return {}
    named_ids = {current.latest.content.get("reviewer") for current in waiting} - {None}
    clinicians = (
        Clinician.objects.select_related("user")
        .annotate(login_may_approve=Exists(_approvers().filter(pk=OuterRef("user_id"))))
        .in_bulk(named_ids)
    )
    reasons = {}
    for current in waiting:
        named = clinicians.get(current.latest.content.get("reviewer"))
        refusal = reviewer_refusal(named, may_approve=named.login_may_approve if named else None)
        if refusal:
            reasons[current.article.pk] = refusal
    return reasons


def stuck_reason(current):
    """Why the article of `current` (a `MedicalReview`) is stuck in review, or None."""
    return stuck_reasons([current]).get(current.article.pk)


def _approvers():
    """Logins holding the approve permission (directly, through a group, or as superusers), as
    `ModelBackend.has_perm` grants it to an active login."""
    approve = Permission.objects.filter(codename="approve_article", content_type__app_label="articles")
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(user_permissions__in=approve) | Q(groups__permissions__in=approve)
    )


def reviewers_for(revision):
    """Who is asked to review `revision`: the login of its named reviewer, or every active medical
    reviewer with a clinician profile (nobody else may approve) when any may approve."""
    User = get_user_model()
    if settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE:
        return User.objects.filter(is_active=True, groups__name=MEDICAL_REVIEWERS, clinician__isnull=False).distinct()
    reviewer_id = revision.content.get("reviewer")
    return User.objects.filter(is_active=True, clinician__pk=reviewer_id) if reviewer_id else User.objects.none()


def editors_for(article, revision):
    """Who worked on `revision`: whoever saved a revision since the live one, or submitted it."""
    User = get_user_model()
    writers = _writers(article, revision)
    submitters = article.review_decisions.filter(revision=revision, action=Action.SUBMITTED).values("user")
    return User.objects.filter(Q(pk__in=writers) | Q(pk__in=submitters)).distinct()


# --- The steps -------------------------------------------------------------------------------------


def ensure_revision(article, *, user=None):
    """The newest revision, keeping the row's content as revision 1 the first time."""
    latest = history_of(article).first()
    if latest is None:
        row = Article.objects.get(pk=article.pk)
        latest = revision_create(obj=row, user=None, message=_("Content before revisions were kept"))
        if row.status == Article.Status.PUBLISHED:
            # A column only the admin reads: .update() leaves the page cache alone.
            Article.objects.filter(pk=article.pk).update(live_revision=latest)
            article.live_revision = latest
    return latest


def article_save_draft(*, article, user, message=""):
    """Keep the article's in-memory content as a revision without touching the live row."""
    ensure_revision(article)
    return revision_create(obj=article, user=user, message=message)


def article_images_restore(*, article, content):
    """Make the images in the text (the editor's working copy) exactly those `content` keeps, for a
    revert: the form then holds the reverted version. Rows are written directly, so no file or
    rendition is made or removed; the files of rows left out stay for the revisions that show them."""
    images = content.get("images")
    if images is None:
        return
    renditions = {**article.image_renditions_content(), **content.get("image_renditions", {})}
    kept = {entry["id"] for entry in images}
    ArticleImage.objects.filter(article=article).exclude(pk__in=kept).delete()
    for entry in images:
        fields = {
            "image": entry["image"],
            "alt": entry["alt"],
            "caption": entry["caption"],
            "renditions": renditions.get(entry["image"], {}),
        }
        if not ArticleImage.objects.filter(pk=entry["id"], article=article).update(**fields):
            ArticleImage.objects.bulk_create([ArticleImage(pk=entry["id"], article=article, **fields)])


@dataclass
class Submission:
    """A submission for medical review, and who was asked: `told` got an email (sent after the
    commit), `untold` could not be reached by email."""

    decision: ReviewDecision
    told: list
    untold: list


def review_submit(*, article, user, comment=""):
    """Ask for the medical review of the newest revision. Refused while nobody could approve it."""
    if not may_edit(user):
        raise ReviewError(_("Only editors can submit articles for medical review."))
    revision = ensure_revision(article)
    review = medical_review(article)
    if review.state not in (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED):
        raise ReviewError(_("This version is already %(state)s.") % {"state": str(review.state_label).lower()})
    reviewers = list(reviewers_for(revision))
    if not settings.ARTICLES_ANY_REVIEWER_MAY_APPROVE:
        named = Clinician.objects.select_related("user").filter(pk=revision.content.get("reviewer") or None).first()
        refusal = reviewer_refusal(named)
        if refusal:
            raise ReviewError(_("Not submitted yet. %(reason)s") % {"reason": refusal})
    elif not reviewers:
        raise ReviewError(
            _("Not submitted yet: no active login in the “Medical reviewers” group is linked to a clinician profile.")
        )
    decision = ReviewDecision.objects.create(
        article=article, revision=revision, action=Action.SUBMITTED, user=user, comment=comment
    )
    told = review_mail.mail_review_requested(decision, to=reviewers)
    return Submission(decision, told, [reviewer for reviewer in reviewers if reviewer not in told])


def _decide(*, article, revision, user, action, comment="", allow_minor_edits=False):
    latest = history_of(article).first()
    if latest is None or revision.pk != latest.pk:
        raise ReviewError(_("This article has changed since it was submitted. Please look at the newest version."))
    refusal = approval_refusal(user, article, revision)
    if refusal:
        raise ReviewError(refusal)
    if medical_review(article).state != ReviewState.IN_REVIEW:
        raise ReviewError(_("This version is not waiting for medical review."))
    credited = clinician_of(user) if action == Action.APPROVED else None  # `approval_refusal` made sure of one
    decision = ReviewDecision.objects.create(
        article=article,
        revision=revision,
        action=action,
        user=user,
        clinician=credited,
        comment=comment,
        allows_minor_edits=allow_minor_edits and action == Action.APPROVED,
    )
    review_mail.mail_review_decided(decision, to=editors_for(article, revision))
    return decision


def review_approve(*, article, revision, user, comment="", allow_minor_edits=False):
    return _decide(
        article=article,
        revision=revision,
        user=user,
        action=Action.APPROVED,
        comment=comment,
        allow_minor_edits=allow_minor_edits,
    )


def review_request_changes(*, article, revision, user, comment):
    if not comment.strip():
        raise ReviewError(_("Please say what needs to change."))
    return _decide(article=article, revision=revision, user=user, action=Action.CHANGES_REQUESTED, comment=comment)


# Why publishing waits, said by state, so a draft just submitted is never told to be submitted.
PUBLISH_WAITS_FOR = {
    ReviewState.IN_REVIEW: gettext_lazy("In review. It can be published once a medical reviewer approves it."),
    ReviewState.CHANGES_REQUESTED: gettext_lazy(
        "Changes were requested. Edit the article and submit it again; it can be published once it is approved."
    ),
}


def publish_refusal(article, review):
    """Why the newest revision may not go live, or None. Once a reviewer has been asked, or has sent
    it back, their answer decides, even for a change the typo rule would let through."""
    if review.latest is None or (review.state == ReviewState.LIVE and not review.scheduled):
        return _("There are no unpublished changes.")
    if review.state in PUBLISH_WAITS_FOR:
        return str(PUBLISH_WAITS_FOR[review.state])
    if review.approval is not None or _is_allowed_typo_fix(article, review.latest):
        return None
    return _(
        "This version has not been medically approved, so it cannot be published. "
        "Please submit it for medical review and publish it once it is approved."
    )


def _is_allowed_typo_fix(article, revision):
    """Whether `revision` only fixes typos in the text the live approval's reviewer approved, and
    they allowed such fixes. Fixes published since that approval add up against the approved text,
    so a chain of small slips never drifts further than one fix may."""
    live = article.live_approval
    if not (settings.ARTICLES_ALLOW_MINOR_EDITS and live is not None and live.allows_minor_edits):
        return False
    if article.live_revision is None:
        return False
    approved = {**article.live_revision.content, **medical_content(live.revision.content)}
    return is_typo_only(approved, revision.content)


def article_publish(*, article, user, publish_at=None):
    """Put the newest revision live now, or at `publish_at`, if it is approved; a time already past
    means now, so nothing goes live back-dated (a draft's time is when it was written)."""
    if not may_publish(user):
        raise ReviewError(_("Only editors can publish articles."))
    ensure_revision(article)
    article = Article.objects.select_related("live_revision", "live_approval").get(pk=article.pk)
    review = medical_review(article)
    refusal = publish_refusal(article, review)
    if refusal:
        raise ReviewError(refusal)
    approval = review.approval or article.live_approval
    now = timezone.now()
    when = max(publish_at or now, now)
    ReviewDecision.objects.filter(article=article, pending=True).update(pending=False)
    if article.is_live and when > now:
        decision = ReviewDecision.objects.create(
            article=article,
            revision=review.latest,
            action=Action.SCHEDULED,
            user=user,
            publish_at=when,
            pending=True,
        )
        # Stored pages were given lifetimes before this schedule existed.
        pagecache.invalidate_after_commit()
        return decision
    return _make_live(article, review.latest, approval, user=user, publish_at=when)


def article_unpublish(*, article):
    """Take a published article off the site, back to a draft. A change scheduled for it is
    cancelled too: the worker would otherwise put the article back live at that time."""
    with transaction.atomic():
        ReviewDecision.objects.filter(article=article, pending=True).update(pending=False)
        article.status = Article.Status.DRAFT
        article.save()


def _make_live(article, revision, approval, *, user, publish_at):
    row = Article.objects.get(pk=article.pk)
    apply_content(row, revision.content)
    if row.is_live:
        row.revised_at = publish_at  # a newer text replaces one readers have seen
    else:
        row.publish_at = publish_at
    row.status = Article.Status.PUBLISHED
    row.live_revision = revision
    row.live_approval = approval
    row.review_due_on = add_months(approval.reviewed_on, settings.ARTICLE_REVIEW_MONTHS) if approval else None
    row.save()
    return ReviewDecision.objects.create(
        article=row, revision=revision, action=Action.PUBLISHED, user=user, publish_at=row.publish_at
    )


def publish_scheduled(decision):
    """Carry out one scheduled publication whose time has come; False when another worker has
    already carried it out. Call it inside a transaction."""
    if not ReviewDecision.objects.filter(pk=decision.pk, pending=True).update(pending=False):
        return False
    article = Article.objects.select_related("live_approval").get(pk=decision.article_id)
    approval = approval_for(article, decision.revision) or article.live_approval
    _make_live(article, decision.revision, approval, user=decision.user, publish_at=decision.publish_at)
    return True
