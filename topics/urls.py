from django.urls import path

from topics import views

app_name = "topics"

urlpatterns = [
    path("topics/", views.topic_board, name="board"),
    path("topics/suggest/", views.topic_suggest, name="suggest"),
    path("topics/<int:pk>/vote/", views.topic_vote, name="vote"),
    path("topics/unsubscribe/<str:token>/", views.TopicUnsubscribeView.as_view(), name="unsubscribe"),
]
