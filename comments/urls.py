from django.urls import include, path

from comments import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comments/", views.earlier_comments, name="earlier"),
    path(
        "comments/",
        include(
            [
                path("<slug:slug>/", views.comment_post, name="post"),
                path("link/<int:pk>/", views.comment_permalink, name="permalink"),
                path("report/<int:pk>/", views.comment_report, name="report"),
                path("unsubscribe/<str:token>/", views.CommentUnsubscribeView.as_view(), name="unsubscribe"),
            ]
        ),
    ),
]
