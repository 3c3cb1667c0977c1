"""The one rule deciding where a reader's submission goes, whatever kind of submission it is.

Spam, held for moderation or published: the CAPTCHA score and the other signals choose the
status; they never decide whether the submission is kept.
"""

import re
from dataclasses import dataclass, field

from core.models import SiteSettings
from submissions.conf import submission_setting
from submissions.models import HoldReason, ModeratedSubmission
from submissions.text import count_links

Status = ModeratedSubmission.Status
SPAM_REASONS = {HoldReason.HONEYPOT, HoldReason.SPAM_SCORE, HoldReason.DISALLOWED_WORD}


@dataclass(frozen=True)
class Decision:
    status: str
    reasons: list = field(default_factory=list)


def decide(*, captcha, text, honeypot_filled=False, personal_details=False, email_is_known=None):
    """The status and hold reasons for a submission.

    `captcha` is a submissions.captcha.CaptchaResult; `text` everything the reader wrote;
    `personal_details` whether what would be public holds a reader's identifiers
    (submissions.personal_details): such a submission waits for a moderator, whatever its score;
    `email_is_known` a callable telling whether the email already has approved content
    (asked only when SUBMISSIONS_TRUST_KNOWN_EMAILS could approve it).
    """
    spam_below = submission_setting("SUBMISSIONS_SPAM_BELOW")
    reasons = []
    if honeypot_filled:
        reasons.append(HoldReason.HONEYPOT)
    if captcha.score is not None and captcha.score < spam_below:
        reasons.append(HoldReason.SPAM_SCORE)
    if contains_disallowed_word(text):
        reasons.append(HoldReason.DISALLOWED_WORD)

    if captcha.problem:
        reasons.append(HoldReason(captcha.problem))
    elif captcha.score is not None and spam_below <= captcha.score < submission_setting("SUBMISSIONS_APPROVE_FROM"):
        reasons.append(HoldReason.LOW_SCORE)
    if count_links(text) > submission_setting("SUBMISSIONS_MAX_LINKS"):
        reasons.append(HoldReason.TOO_MANY_LINKS)
    if personal_details:
        reasons.append(HoldReason.PERSONAL_DETAILS)

    if SPAM_REASONS.intersection(reasons):
        return Decision(Status.SPAM, [str(reason) for reason in reasons])
    if reasons:
        return Decision(Status.PENDING, [str(reason) for reason in reasons])
    if submission_setting("SUBMISSIONS_AUTO_APPROVE"):
        return Decision(Status.APPROVED, [])
    if submission_setting("SUBMISSIONS_TRUST_KNOWN_EMAILS") and email_is_known is not None and email_is_known():
        return Decision(Status.APPROVED, [])
    return Decision(Status.PENDING, [str(HoldReason.MODERATE_ALL)])


def contains_disallowed_word(text):
    """Whole words or phrases only, so "ass" does not catch "assessment"."""
    lowered = (text or "").lower()
    return any(
        re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered) for word in SiteSettings.load().disallowed_word_list
    )
