"""A full media disk during an admin upload is an editor's message, not a 500 page.

The admin saves inside a transaction, so when the storage refuses the file the row is
rolled back with it. The mixin catches that error, tells the editor in plain words, and
shows the form again with everything they typed (file inputs cannot be refilled).
"""

import errno
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

STORAGE_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO}
UPLOAD_FAILED_MESSAGE = _(
    "The server could not store the image (disk full). Nothing was saved; "
    "please try again later or tell the site administrator."
)
CHOOSE_AGAIN_MESSAGE = _("This file was not stored. Please choose it again.")


def is_storage_full(error):
    return isinstance(error, OSError) and error.errno in STORAGE_FULL_ERRNOS


class UploadErrorsAdminMixin:
    """Put first in a ModelAdmin's bases: `class ArticleAdmin(UploadErrorsAdminMixin, admin.ModelAdmin)`."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as error:
            if request.method != "POST" or not is_storage_full(error):
                raise
            logger.error("Upload refused by the media storage: %r", error)
            self.message_user(request, UPLOAD_FAILED_MESSAGE, messages.ERROR)
            # The failed save was rolled back; show the form again, bound to what was sent,
            # with an error at each file field so the same POST cannot save anything.
            request._upload_storage_failed = True
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except OSError as again:
                if not is_storage_full(again):
                    raise
                # The disk failed while the upload itself was being read: start the page afresh.
                return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not getattr(request, "_upload_storage_failed", False):
            return form_class
        file_fields = list(request.FILES)

        class StorageFailedForm(form_class):
            def clean(self):
                super().clean()
                errors = {name: CHOOSE_AGAIN_MESSAGE for name in file_fields if name in self.fields}
                raise ValidationError(errors or UPLOAD_FAILED_MESSAGE)

        return StorageFailedForm
