"""An administrator's reset of another staff member's factors, as an action on the users list."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff_security.factors import factors_remove

User = get_user_model()


class SecondFactorUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, "remove_second_factors"]

    @admin.action(
        description=_("Remove second factors (they set one up again at next sign-in)"), permissions=["change"]
    )
    def remove_second_factors(self, request, queryset):
        for user in queryset:
            factors_remove(user=user, by=request.user)
            self.log_change(request, user, [{"changed": {"fields": ["second factors (removed)"]}}])
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Removed the second factors of %(count)d account.",
                "Removed the second factors of %(count)d accounts.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


admin.site.unregister(User)
admin.site.register(User, SecondFactorUserAdmin)
