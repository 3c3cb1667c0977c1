"""An admin list filter for any app that splits the rows in two: those that pass a test, and the rest."""

from django.contrib import admin


class SplitFilter(admin.SimpleListFilter):
    """Two choices, the rows `matching` keeps first and all the others second, so the second can
    never drift from being the exact complement of the first.

    Subclasses set `title`, `parameter_name` and `options` (two (value, label) pairs) and write `matching`;
    not `choices`, which the admin calls to draw the filter.
    """

    options = ()

    def lookups(self, request, model_admin):
        return list(self.options)

    def matching(self, queryset):
        raise NotImplementedError

    def queryset(self, request, queryset):
        (kept, _kept_label), (others, _others_label) = self.options
        if self.value() == kept:
            return self.matching(queryset)
        if self.value() == others:
            return queryset.exclude(pk__in=self.matching(queryset).values("pk"))
        return queryset
