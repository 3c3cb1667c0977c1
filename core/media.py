"""Uploads served by Django itself, where no web server or object storage serves them
(development, or DJANGO_SERVE_MEDIA on one small server).

Only image types leave this view, each under its own content type and with `nosniff`, so a
file that holds HTML or script under any name is never run by a browser as a page.
"""

import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.static import serve

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
}


def serve_upload(request, path):
    content_type = IMAGE_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type is None:
        raise Http404("Only images are served from uploads.")
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:  # a path leading out of MEDIA_ROOT
        raise Http404("No such upload.") from None
    if response.status_code == 200:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
