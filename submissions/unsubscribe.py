"""Unsubscribe links that carry no personal data, and their confirmation and one-click pages.

A link carries the subscribing row's primary key, signed per model: it reveals no email
address in access logs and cannot be forged. Opening it (GET) only shows a confirmation
button, because mail scanners open links in advance; the POST acts. The same address answers
RFC 8058 one-click POSTs from mail programs (`List-Unsubscribe-Post`), which carry no CSRF
token: the signed link is the only proof needed.

Links sent before these existed carried the email address, signed with the mailing's old salt;
they still land on the confirmation.
"""

from dataclasses import dataclass, replace

from django.core import signing
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt


def _salt(model):
    return f"unsubscribe:{model._meta.label_lower}"


def unsubscribe_token(row):
    return signing.dumps(row.pk, salt=_salt(type(row)))


def unsubscribe_headers(url):
    """RFC 2369 and RFC 8058 headers: mail programs show an "Unsubscribe" button that POSTs here."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass(frozen=True)
class Mailing:
    """The words of one mailing's unsubscribe pages; they back out to the home page unless told."""

    name: str
    question: str
    done_text: str
    back_url: str = "/"
    back_text: str = gettext_lazy("Back to the home page")


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """GET: a confirmation button; POST (the button, or a mail program's one-click): stop the emails.

    Stops them for every row of the subscriber's email address that has `flag_field` on, so one
    click is enough however many comments or suggestions they sent.
    """

    model = None
    flag_field = ""
    legacy_salt = ""  # salt of the email-carrying links sent before
    mailing = None
    http_method_names = ["get", "post"]

    def email_for(self, token):
        try:
            pk = signing.loads(token, salt=_salt(self.model))
        except signing.BadSignature:
            pk = None
        if isinstance(pk, int):
            rows = self.model.objects.filter(pk=pk)
            return rows.values_list(self.model.EMAIL_FIELD, flat=True).first() or None
        if self.legacy_salt:
            try:
                email = signing.loads(token, salt=self.legacy_salt)
            except signing.BadSignature:
                return None
            return email if isinstance(email, str) and "@" in email else None
        return None

    def page(self, request, state, status=200):
        mailing = replace(self.mailing, back_url=request.build_absolute_uri(resolve_url(self.mailing.back_url)))
        return render(request, "submissions/unsubscribe.html", {"state": state, "mailing": mailing}, status=status)

    def get(self, request, token):
        if self.email_for(token) is None:
            return self.page(request, "invalid", status=400)
        return self.page(request, "confirm")

    def post(self, request, token):
        email = self.email_for(token)
        if email is None:
            return self.page(request, "invalid", status=400)
        rows = self.model.objects.filter(**{f"{self.model.EMAIL_FIELD}__iexact": email, self.flag_field: True})
        rows.update(**{self.flag_field: False})
        return self.page(request, "done")
