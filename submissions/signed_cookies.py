"""A few row ids a browser keeps for itself in a signed cookie: the comments it posted that await
moderation, the topics it voted for.

The signature (Django's signed cookies, salted per cookie) means a reader can drop ids but never
forge one; the signing time caps the cookie's age on the server whatever the browser keeps. Only
ids are stored, never an email or a name.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class SignedIdsCookie:
    name: str
    salt: str
    max_age: int  # seconds, in the browser and on the server alike
    max_ids: int  # the newest ids are kept past this many
    path: str = "/"  # a lazy URL (reverse_lazy) sends it only to the pages that read it

    def read(self, request):
        """The ids in the request's cookie; empty when it is missing, expired or tampered with."""
        raw = request.get_signed_cookie(self.name, default="", salt=self.salt, max_age=self.max_age)
        return {int(part) for part in raw.split(",") if part.isdigit()}

    def add(self, response, *, request, pk):
        """Set the cookie on `response` to the request's ids and `pk`."""
        ids = sorted(self.read(request) | {pk})[-self.max_ids :]
        response.set_signed_cookie(
            self.name,
            ",".join(str(id_) for id_ in ids),
            salt=self.salt,
            max_age=self.max_age,
            path=str(self.path),
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
