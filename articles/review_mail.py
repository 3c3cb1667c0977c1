"""Who hears about a medical review step, by email: the reviewer of a submission, the editors of
a decision. The workflow (`articles.review`) says who; this module writes and sends the mail.

An email is read in a mail client, away from the site: its links are whole addresses on SITE_URL,
and people are named as the clinic knows them (`person_name`), never by their login."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import ReviewDecision, person_name
from core.outbox import email_enqueue


def mail_review_requested(decision, *, to):
    """Ask `to` (users) to review the revision `decision` submitted; returns those an email was
    queued for."""
    facts = _facts(decision)
    return _notify(
        to,
        _("Medical review requested: %(title)s") % facts,
        _("%(who)s submitted “%(title)s” (revision %(number)s) for your medical review.\n\n%(comment)s") % facts,
        decision.article,
    )


def mail_review_decided(decision, *, to):
    """Tell `to` (users) that the revision was approved or sent back."""
    facts = _facts(decision)
    if decision.action == ReviewDecision.Action.APPROVED:
        subject = _("Approved: %(title)s") % facts
        body = _("%(who)s approved “%(title)s” (revision %(number)s). It can be published now.\n\n%(comment)s")
    else:
        subject = _("Changes requested: %(title)s") % facts
        body = _("%(who)s asked for changes to “%(title)s” (revision %(number)s):\n\n%(comment)s")
    return _notify(to, subject, body % facts, decision.article)


def _facts(decision):
    user = decision.user
    return {
        "who": person_name(user) if user else _("Someone"),
        "title": decision.revision.content.get("title"),
        "number": decision.revision.number,
        "comment": decision.comment,
    }


def _notify(users, subject, body, article):
    """Email queued with the decision; the worker sends it and tries again while the mail server
    fails. Returns the users an email was queued for."""
    told = [user for user in users if user.is_active and user.email]
    recipients = sorted({user.email for user in told})
    if not recipients:
        return []
    link = settings.SITE_URL + reverse("admin:articles_article_review", args=[article.pk])
    message = f"{body.strip()}\n\n{_('Open it in the admin:')} {link}\n"
    email_enqueue(subject=subject, body=message, to=recipients)
    return told
