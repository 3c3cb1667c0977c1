"""Who hears about a medical review step, by email: the reviewer of a submission, the editors of
a decision. The workflow (`articles.review`) says who; this module writes and sends the mail."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import ReviewDecision

logger = logging.getLogger(__name__)


def mail_review_requested(decision, *, to):
    """Ask `to` (users) to review the revision `decision` submitted."""
    facts = _facts(decision)
    _notify(
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
    _notify(to, subject, body % facts, decision.article)


def _facts(decision):
    user = decision.user
    return {
        "who": (user.get_full_name() or user.get_username()) if user else _("Someone"),
        "title": decision.revision.content.get("title"),
        "number": decision.revision.number,
        "comment": decision.comment,
    }


def _notify(users, subject, body, article):
    """Email after the decision is committed; a failure is logged, never shown to the reviewer."""
    recipients = sorted({user.email for user in users if user.is_active and user.email})
    if not recipients:
        return
    link = reverse("admin:articles_article_review", args=[article.pk])
    message = f"{body.strip()}\n\n{_('Open it in the admin:')} {link}\n"

    def send():
        try:
            send_mail(subject, message, None, recipients)
        except Exception:
            logger.exception("Could not send the review email %r to %s", subject, recipients)

    transaction.on_commit(send)
