"""Password reset addresses, under the admin's. Named as Django's admin and emails expect them
(no namespace): the admin's sign-in page links to `admin_password_reset` when it exists."""

from django.urls import path

from staff_security.password_reset import (
    StaffPasswordResetCompleteView,
    StaffPasswordResetConfirmView,
    StaffPasswordResetDoneView,
    StaffPasswordResetView,
)

urlpatterns = [
    path("password_reset/", StaffPasswordResetView.as_view(), name="admin_password_reset"),
    path("password_reset/done/", StaffPasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", StaffPasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", StaffPasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
