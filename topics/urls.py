from django.urls import path

from topics import views

app_name = "topics"

urlpatterns = [
    path("", views.topic_board, name="board"),
    path("suggest/", views.topic_suggest, name="suggest"),
    path("<int:pk>/vote/", views.topic_vote, name="vote"),
    path("unsubscribe/<str:token>/", views.TopicUnsubscribeView.as_view(), name="unsubscribe"),
]
