from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/<slug:slug>/", views.comment_post, name="post"),
    path("articles/<slug:slug>/comments/", views.earlier_comments, name="earlier"),
    path("comments/link/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

# Topic suggestions
urlpatterns += [
    path("topics/", views.topic_board, name="topics"),
    path("topics/suggest/", views.topic_suggest, name="topic_suggest"),
    path("topics/<int:pk>/vote/", views.topic_vote, name="topic_vote"),
    path("topics/unsubscribe/<str:token>/", views.topic_unsubscribe, name="topic_unsubscribe"),
]
