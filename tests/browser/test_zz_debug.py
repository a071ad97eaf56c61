from django.db import connection
from django.contrib.auth.models import Group

def test_a(page):
    page.goto("/accounts/login/")
    print("groups a", list(Group.objects.values_list("name", flat=True)))

def test_b():
    print("HAS", hasattr(connection, "_test_serialized_contents"), len(getattr(connection, "_test_serialized_contents", "")))
    print("groups b", list(Group.objects.values_list("name", flat=True)))
