"""Admin form pieces that give every box an accessible name, for any app's admin.

Django's admin labels some boxes only with nearby text or an empty placeholder, which a screen
reader does not announce; these subclasses add the names and change nothing else.
"""

from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with its own accessible name (the admin prints
    "Date:" and "Time:" as plain text, which labels neither box)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = gettext_lazy("Date")
        self.widgets[1].attrs["aria-label"] = gettext_lazy("Time")


class NamedAutocompleteSelect(AutocompleteSelect):
    """The admin's search-as-you-type box, showing (and named by) "Choose the author" while
    empty, where the admin leaves an empty placeholder that gives the box no name at all."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = _("Choose the %(role)s") % {"role": self.field.verbose_name}
        return attrs


class LabelledInlineFormSet(BaseInlineFormSet):
    """Each box of a table row is named after its column, as a screen reader needs."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            label = gettext_lazy("Delete") if name == "DELETE" else field.label
            field.widget.attrs.setdefault("aria-label", label)
