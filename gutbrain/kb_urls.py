"""The knowledge base's staff pages, mounted at /kennisbank/."""

from django.urls import path

from gutbrain import views

app_name = "gutbrain"
urlpatterns = [
    path("", views.nutrient_list, name="nutrient-list"),
    path("nutrienten/<slug:slug>/", views.nutrient_detail, name="nutrient-detail"),
    path("factoren/", views.factor_map, name="factor-map"),
    path("interacties/", views.interaction_overview, name="interaction-overview"),
    path("onderwerpen/", views.topic_list, name="topic-list"),
    path("onderwerpen/<slug:slug>/", views.topic_detail, name="topic-detail"),
]
