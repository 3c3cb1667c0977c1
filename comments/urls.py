from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/<slug:slug>/", views.comment_post, name="post"),
    path("articles/<slug:slug>/comments/", views.earlier_comments, name="earlier"),
    path("comments/link/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comments/unsubscribe/<str:token>/", views.CommentUnsubscribeView.as_view(), name="unsubscribe"),
]
