"""A schema 2 snapshot built by hand, in the shape `practice.protocols.build_snapshot`
writes: the schema 1 test protocol of test_pdf.py with what schema 2 adds."""

import copy

from tests.practice.test_pdf import finding, make_snapshot

CLIENT_ADVICE = {
    "separate_intake": "Neem magnesium niet tegelijk met {medicines}: neem het 2 uur vóór of "
    "4 uur ná uw medicijnen in.",
    "avoid": "Gebruik dit niet naast {medicines}.",
    "consult": "Overleg eerst met uw arts voordat u dit gebruikt naast {medicines}.",
    "none_known": "Er is geen wisselwerking met medicijnen bekend.",
}


def make_handout_snapshot(**overrides) -> dict:
    snapshot = copy.deepcopy(make_snapshot())
    snapshot["schema"] = 2
    snapshot["include_physician_page"] = True
    snapshot["practice"]["logo"] = ""
    snapshot["changes"] = []
    snapshot["previous_version"] = None
    snapshot["references"] = {"12": "Voorbeeld A. Magnesium en medicijnen. 2020."}
    snapshot["own_supplements"] = []
    for medicine in snapshot["medications"]:
        medicine["intake_times"] = []
    for result in snapshot["check"]["results"]:
        result["source"] = "protocol"
        if result["level"] == "none_known" and not result["findings"]:
            # As the check answers it: the source's "no interactions known" row.
            result["findings"] = [
                finding(
                    "none_known",
                    "any_medicine",
                    "Geen interacties bekend.",
                    atc_codes=[m["atc_code"] for m in snapshot["medications"]],
                )
            ]
        for each in result["findings"]:
            text = CLIENT_ADVICE.get(each["level"], "")
            each["client_advice_nl"] = text
            each["client_advice_en"] = f"(en) {text}" if text else ""
    snapshot["check"]["digest"] = "0" * 64
    snapshot["check"]["medicines"] = []
    snapshot["check"]["not_checked"] = []
    snapshot.update(overrides)
    return snapshot
