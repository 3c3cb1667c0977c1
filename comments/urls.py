from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/<slug:slug>/", views.comment_post, name="post"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
