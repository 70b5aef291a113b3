from planwijzer.ingest.lines import SourceLine, join_wrapped, read_lines


def test_blank_lines_between_wrapped_lines_are_dropped() -> None:
    text = "1. De stad reikt kaders aan om \n\nontmoeting te stimuleren. \n"
    assert read_lines(text) == [
        SourceLine(1, "1. De stad reikt kaders aan om"),
        SourceLine(3, "ontmoeting te stimuleren."),
    ]


def test_whitespace_only_line_marks_a_new_paragraph() -> None:
    lines = read_lines("Eerste alinea. \n \n\nTweede alinea. \n")
    assert [(line.text, line.new_paragraph) for line in lines] == [
        ("Eerste alinea.", False),
        ("Tweede alinea.", True),
    ]


def test_page_break_indent_page_numbers_and_link_targets_are_cleaned() -> None:
    text = "tekst van de \n\n55 \n\n http://www.visitleuven.be/\n aangenaam  mogelijk. \n"
    assert [line.text for line in read_lines(text)] == ["tekst van de", "aangenaam mogelijk."]
    assert [line.number for line in read_lines(text)] == [1, 6]


def test_action_line_is_not_taken_for_a_page_number() -> None:
    assert [line.text for line in read_lines("12. We doen iets. \n")] == ["12. We doen iets."]


def test_join_wrapped_keeps_compounds_whole() -> None:
    assert join_wrapped("zowel stedelijke als niet-", "stedelijke spelers") == (
        "zowel stedelijke als niet-stedelijke spelers"
    )
    assert join_wrapped("via dataverzameling en -", "monitoring") == "via dataverzameling en -monitoring"
    assert join_wrapped("We bouwen", "verder.") == "We bouwen verder."
