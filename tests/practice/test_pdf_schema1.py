"""Protocols issued before the client handout (snapshot schema 1) keep rendering
byte-identically from their snapshots, whatever the current document looks like.

The snapshot and the PDF's SHA-256 below were made with the code of commit 3912a12, the
last release that issued schema 1. A PDF whose file is lost is rendered again from its
snapshot and must match the hash stored with it."""

import hashlib
import json
from pathlib import Path

import pytest
from django.utils.translation import override

from practice.pdf import protocol_context, render_protocol_html, render_protocol_pdf

SNAPSHOT = Path(__file__).parent / "data" / "schema1_snapshot.json"
SHA256_AT_3912A12 = "fbc7306d206af4aca2ad532445ac91efc7c713692b3ea12d823adb054c36a189"


@pytest.fixture(scope="module")
def snapshot() -> dict:
    return json.loads(SNAPSHOT.read_text())


def test_the_schema_1_pdf_is_byte_identical_to_the_one_issued(snapshot):
    assert snapshot["schema"] == 1
    assert hashlib.sha256(render_protocol_pdf(snapshot)).hexdigest() == SHA256_AT_3912A12


def test_the_schema_1_print_page_links_its_own_stylesheet(snapshot):
    with override("nl"):
        html = render_protocol_html(snapshot, for_pdf=False)
    assert "css/protocol_schema1" in html
    assert "Uw supplementenprotocol" in html


def test_the_staff_page_reads_a_schema_1_snapshot(snapshot):
    with override("nl"):
        context = protocol_context(snapshot, for_pdf=False)
    assert [line["name"] for line in context["lines"]] == [
        line["nutrient_name_nl"] for line in snapshot["lines"]
    ]
