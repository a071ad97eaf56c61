"""The SVG figures: well-formed, escaped, labelled, and drawn to scale."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from gutbrain import figures

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(root: ET.Element, kind: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if f"bar-{kind}" in r.get("class", "")]


def zero_axis_y(root: ET.Element) -> float:
    (axis,) = [line for line in root.iter(f"{SVG}line") if line.get("class") == "zero-axis"]
    return float(axis.get("y1"))


def texts(root: ET.Element) -> str:
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def ashwagandha_chart(**overrides) -> str:
    kwargs = {
        "figure_id": "chart-1",
        "title": "Ashwagandha bij stress en angst",
        "intervention_label": "300 mg ashwagandha",
        "comparator_label": "placebo",
        "outcomes": [
            figures.OutcomeBars("Angst-schaal", Decimal("-75.6"), Decimal("4.3")),
            figures.OutcomeBars("Stress-schaal", Decimal("-64.2"), Decimal("-10.4")),
        ],
    }
    return figures.outcome_bar_chart(**(kwargs | overrides))


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english")
class TestOutcomeBarChart:
    def test_it_is_well_formed_svg_labelled_for_assistive_technology(self):
        root = parse(ashwagandha_chart())
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
        assert root.find(f"{SVG}title").get("id") == "chart-1-title"
        assert root.find(f"{SVG}title").text == "Ashwagandha bij stress en angst"
        desc = root.find(f"{SVG}desc").text
        assert "Angst-schaal: 300 mg ashwagandha −75.6%, placebo +4.3%" in desc

    def test_it_draws_heights_proportional_to_the_values(self):
        root = parse(ashwagandha_chart())
        drawn = {
            Decimal(r.get("data-value")): float(r.get("height"))
            for r in bars(root, "intervention") + bars(root, "comparator")
        }
        assert set(drawn) == {Decimal(v) for v in ("-75.6", "4.3", "-64.2", "-10.4")}
        per_unit = drawn[Decimal("-75.6")] / 75.6
        for value, height in drawn.items():
            assert height == pytest.approx(abs(float(value)) * per_unit, abs=0.15)

    def test_a_fall_hangs_below_the_zero_axis_and_a_rise_stands_above_it(self):
        root = parse(ashwagandha_chart())
        zero = zero_axis_y(root)
        for rect in bars(root, "intervention") + bars(root, "comparator"):
            top, height = float(rect.get("y")), float(rect.get("height"))
            if Decimal(rect.get("data-value")) < 0:
                assert top == pytest.approx(zero, abs=0.1)
            else:
                assert top + height == pytest.approx(zero, abs=0.1)

    def test_it_labels_every_bar_with_its_signed_value(self):
        labels = texts(parse(ashwagandha_chart()))
        for label in ("−75.6%", "+4.3%", "−64.2%", "−10.4%"):
            assert label in labels

    def test_values_are_written_the_dutch_way_in_dutch(self):
        with translation.override("nl"):
            labels = texts(parse(ashwagandha_chart()))
        assert "−75.6%" not in labels
        assert "−75,6%" in labels and "+4,3%" in labels

    def test_all_rises_put_the_zero_axis_at_the_bottom(self):
        root = parse(
            ashwagandha_chart(outcomes=[figures.OutcomeBars("Slaap", 12, 3, unit="punten")])
        )
        zero = zero_axis_y(root)
        for rect in bars(root, "intervention") + bars(root, "comparator"):
            assert float(rect.get("y")) + float(rect.get("height")) == pytest.approx(zero, 0.1)
        assert "+12\u00a0punten" in texts(root)

    def test_it_escapes_every_text(self):
        markup = ashwagandha_chart(
            title='<script>alert("x")</script>',
            intervention_label="A & B",
            comparator_label="<b>placebo</b>",
            outcomes=[figures.OutcomeBars("x < y > z", 1, -1)],
        )
        assert "<script>" not in markup and "<b>" not in markup
        root = parse(markup)
        assert root.find(f"{SVG}title").text == '<script>alert("x")</script>'
        assert "A & B" in texts(root)
        assert "x < y > z" in texts(root)

    def test_it_uses_no_style_attribute_and_no_script(self):
        root = parse(ashwagandha_chart())
        assert all("style" not in element.attrib for element in root.iter())
        assert not list(root.iter(f"{SVG}script"))


class TestPathwayDiagram:
    STEPS = [
        figures.PathwayNode("Tryptofaan", "Hydroxylatie en decarboxylatie"),
        figures.PathwayNode("Serotonine", "N-acetyltransferase"),
        figures.PathwayNode("N-acetylserotonine", "Hydroxylindol-O-methyltransferase"),
        figures.PathwayNode("Melatonine", "ignored: nothing follows"),
    ]

    def test_it_draws_a_box_per_substance_and_a_labelled_arrow_between_them(self):
        root = parse(figures.pathway_diagram(figure_id="p", title="Figuur 2", steps=self.STEPS))
        groups = list(root.iter(f"{SVG}g"))
        assert [g.get("class") for g in groups].count("substance") == 4
        assert [g.get("class") for g in groups].count("conversion") == 3
        arrows = [line for line in root.iter(f"{SVG}line") if line.get("marker-end")]
        assert len(arrows) == 3
        assert all(a.get("marker-end") == "url(#p-arrow)" for a in arrows)
        words = texts(root)
        for step in self.STEPS[:3]:
            assert step.substance in words
            assert step.conversion.split()[0] in words
        assert "ignored" not in words

    def test_boxes_follow_each_other_top_to_bottom(self):
        root = parse(figures.pathway_diagram(figure_id="p", title="t", steps=self.STEPS))
        tops = [
            float(g.find(f"{SVG}rect").get("y"))
            for g in root.iter(f"{SVG}g")
            if g.get("class") == "substance"
        ]
        assert tops == sorted(tops) and len(set(tops)) == 4

    def test_it_is_labelled_and_escaped(self):
        root = parse(
            figures.pathway_diagram(
                figure_id="p",
                title="A <b> & C",
                steps=[figures.PathwayNode("<i>", "&"), figures.PathwayNode("end")],
            )
        )
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text == "A <b> & C"
        assert "<i>" in texts(root)


class TestFactorMap:
    def stages(self, url: str = "/kennisbank/nutrienten/magnesium/") -> list[figures.Stage]:
        magnesium = figures.Link("Magnesium", url)
        return [
            figures.Stage(
                1,
                "Oorzakelijke factoren",
                (
                    figures.FactorGroup(
                        "Psychische factoren", (figures.Factor("Stress", (magnesium,)),)
                    ),
                    figures.FactorGroup("", (figures.Factor("Westerse voeding"),)),
                ),
            ),
            figures.Stage(
                2,
                "Dysbiose",
                (figures.FactorGroup("", (figures.Factor("", (magnesium,)),)),),
                "gut",
            ),
            figures.Stage(3, "Inflammatie", (figures.FactorGroup("", ()),), "inflammation"),
            figures.Stage(
                None,
                "Gezondheidsklachten",
                (figures.FactorGroup("", (figures.Factor("Allergieën"),)),),
                "complaints",
            ),
        ]

    def draw(self, stages: list[figures.Stage]) -> ET.Element:
        return parse(
            figures.factor_map(
                figure_id="fm",
                title="Figuur 1",
                description="Beschrijving",
                stages=stages,
                feedback_label="Inflammatie kan versterken",
            )
        )

    def test_it_links_each_nutrient_outside_the_tab_order(self):
        root = self.draw(self.stages())
        links = list(root.iter(f"{SVG}a"))
        assert [a.get("href") for a in links] == ["/kennisbank/nutrienten/magnesium/"] * 2
        assert all(a.get("tabindex") == "-1" for a in links)
        # The page's table carries the same content; the drawing is hidden from AT.
        assert root.get("aria-hidden") == "true"

    def test_it_joins_the_stages_with_arrows_and_a_dotted_feedback_line(self):
        root = self.draw(self.stages())
        arrows = [x for x in root.iter(f"{SVG}line") if x.get("class") == "cascade-arrow"]
        assert len(arrows) == 3
        (feedback,) = [p for p in root.iter(f"{SVG}path") if p.get("class") == "feedback"]
        assert feedback.get("stroke-dasharray")
        assert "Inflammatie kan versterken" in texts(root)

    def test_it_shows_every_factor_and_heading(self):
        words = texts(self.draw(self.stages()))
        for word in (
            "Oorzakelijke factoren",
            "Psychische factoren",
            "Stress",
            "Westerse voeding",
            "Dysbiose",
            "Inflammatie",
            "Gezondheidsklachten",
            "Allergieën",
            "Magnesium",
        ):
            assert word in words

    def test_it_drops_links_that_are_not_web_addresses(self):
        root = self.draw(self.stages(url="javascript:alert(1)"))
        assert not list(root.iter(f"{SVG}a"))
        assert "Magnesium" in texts(root)

    def test_it_escapes_names(self):
        stages = [
            figures.Stage(1, "<h1>", (figures.FactorGroup("", (figures.Factor("a & <b>"),)),))
        ]
        root = self.draw(stages)
        assert "<h1>" in texts(root) and "a & <b>" in texts(root)


@pytest.mark.parametrize(
    ("value", "unit", "language", "expected"),
    [
        (Decimal("-75.60"), "%", "en", "−75.6%"),
        (Decimal("4.3"), "%", "nl", "+4,3%"),
        (Decimal("0"), "%", "en", "0%"),
        (12, "mg", "en", "+12\u00a0mg"),
        (Decimal("-1.25"), "", "en", "−1.25"),
    ],
)
def test_format_change_writes_a_signed_number(value, unit, language, expected):
    with translation.override(language):
        assert figures.format_change(value, unit) == expected
