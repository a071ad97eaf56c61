app_name = "gutbrain"
urlpatterns: list = []
