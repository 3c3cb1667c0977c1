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
    empty, where the admin leaves an empty placeholder that gives the box no name at all.

    Its first option is always the empty choice, carrying that text: HTML wants a required
    select to start with an empty value, and no option to be empty of text."""

    def _placeholder(self):
        return _("Choose the %(role)s") % {"role": self.field.verbose_name}

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = self._placeholder()
        return attrs

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = self._placeholder()
        else:
            options.insert(0, self.create_option(name, "", self._placeholder(), False, 0))
            for index, option in enumerate(options):
                option["index"] = str(index)
        return groups


class LabelledInlineFormSet(BaseInlineFormSet):
    """Each box of a table row is named after its column, as a screen reader needs."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            label = gettext_lazy("Delete") if name == "DELETE" else field.label
            if label and not field.widget.is_hidden:  # a hidden input has no name to give (HTML forbids one)
                field.widget.attrs.setdefault("aria-label", label)
