from django.urls import path

from staff_security import views

app_name = "staff_security"

urlpatterns = [
    path("", views.SecurityView.as_view(), name="security"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("authenticator/", views.EnrolView.as_view(), name="enrol"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("recovery-codes/download/", views.recovery_codes_download, name="recovery_codes_download"),
    path("recovery-codes/new/", views.recovery_codes_new, name="recovery_codes_new"),
    path("sessions/end-others/", views.sessions_end, name="sessions_end"),
]
