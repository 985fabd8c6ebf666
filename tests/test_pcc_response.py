"""The Commissioner's response document: the real 2019 response reads exactly; broken twins are refused."""

from pathlib import Path

import pytest

from data_loaders.recommendations import response as pcc_response
from data_loaders.refusals import LoadRefused

REFERENCE = Path(__file__).with_name("data") / "dc-response-hmicfrs-stalking-2019.txt"
OWNER = "Force Lead for Stalking and Harassment"
R1_TEXT = (
    "Within six months chief constables should ensure that forces record stalking or harassment crimes if "
    "appropriate when victims report breaches of orders."
)
R2_TEXT = (
    "Within six months chief constables should ensure that officers are aware of the importance of treating "
    "breaches of orders, where appropriate, as part of a wider pattern of offending, and ensure that force policy "
    "and guidance helps officers to do this."
)
R1_HTML = (
    "<p>In D&C stalking offences are reviewed through a daily tasking process. This includes where any breaches "
    "of orders (DA) are reported, they remain as open 'logs' until the offender is processed.</p> "
    "<p>We will commission an audit of the recording of these crimes to offer assurance this process in D&C.</p>"
)
R2_HTML = (
    "<p>All officers are due to receive the recent College of Policing training modules. The Force is investing "
    "further in bespoke training for its network of stalking SPOC's who sit within the investigation and crime "
    "management functions. In addition the force has just begun a stalking clinic pilot, where breaches/offenders "
    "actions will be considered alongside key partners such as mental health and probation in order to ensure a "
    "wider understanding and a 'joined up' response. Force policy and guidance reflects this on a dedicated web "
    "page, which is open to all offices and staff and includes the link to referring to local SPOC's.</p>"
)


@pytest.fixture
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def write(tmp_path, text: str, name: str = "response.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(text: str) -> list[str]:
    with pytest.raises(LoadRefused) as caught:
        pcc_response.parse(text, "response.txt")
    return [str(p) for p in caught.value.problems]


def test_the_reference_document_reads_exactly():
    doc = pcc_response.read(REFERENCE)
    assert doc.title == (
        "STALKING AND HARASSMENT - AN INSPECTION OF SUSSEX POLICE COMMISSIONED BY THE POLICE AND CRIME "
        "COMMISSIONER, AND AN UPDATE ON NATIONAL RECOMMENDATIONS IN HMICFRS'S 2017 REPORT"
    )
    assert doc.force_label == "D&C"
    assert [r.reference for r in doc.recommendations] == ["R1", "R2"]
    first, second = doc.recommendations
    assert (first.text, first.timescale, first.addressed_to, first.owner) == (
        R1_TEXT,
        "Within six months",
        "chief constables",
        OWNER,
    )
    assert (second.text, second.timescale, second.addressed_to, second.owner) == (
        R2_TEXT,
        "Within six months",
        "chief constables",
        OWNER,
    )
    assert first.response_html == R1_HTML
    assert second.response_html == R2_HTML
    assert (first.line, second.line) == (12, 13)


def test_the_reference_documents_report_level_text():
    doc = pcc_response.read(REFERENCE)
    chief = doc.chief_constable_comments.split("\n\n")
    assert len(chief) == 2
    assert chief[0] == (
        "The Chief Constable intends to use the learning from this inspection of Sussex Police to ensure the best "
        "possible service is being delivered in Devon and Cornwall in this priority area."
    )
    assert chief[1].endswith("The force has seen a rise in reporting and prosecutions around stalking and offences.")
    pcc = doc.pcc_comments.split("\n\n")
    assert len(pcc) == 7
    assert pcc[0] == (
        "I am pleased to see that Devon and Cornwall Police has taken a number of the steps that HMICFRS "
        "identified from its inspection of Sussex Police."
    )
    assert pcc[-1].startswith("Finally, I would applaud Katy Bourne")
    assert doc.signature == "Alison Hernandez\nPolice and Crime Commissioner\nDevon, Cornwall and the Isles of Scilly"


def test_the_reference_title_names_the_2019_report(settings):
    report = settings.recommendations.report_for_title(pcc_response.read(REFERENCE).title)
    assert report is not None and report.key == "sussex-and-national-update-2019"
    assert report.published.isoformat() == "2019-04-10"


def test_an_unknown_title_still_reads(reference_text, settings):
    title = reference_text.strip().split("\n")[0]
    doc = pcc_response.parse(reference_text.replace(title, "Stalking: a local review of breaches of orders"))
    assert doc.title == "Stalking: a local review of breaches of orders"
    assert len(doc.recommendations) == 2
    assert settings.recommendations.report_for_title(doc.title) is None


def test_windows_line_endings_bom_and_curly_apostrophes(tmp_path, reference_text):
    text = "\ufeff" + reference_text.replace("'s comments", "\u2019s comments").replace("\n", "\r\n")
    path = tmp_path / "windows.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = pcc_response.read(path)
    assert [r.owner for r in doc.recommendations] == [OWNER, OWNER]
    assert doc.recommendations[0].response_html == R1_HTML


def test_numbers_written_in_the_table_are_kept(reference_text):
    text = reference_text.replace(
        "\nWithin six months chief constables should ensure that forces",
        "\n3. Within six months chief constables should ensure that forces",
    )
    text = text.replace(
        "\nWithin six months chief constables should ensure that officers",
        "\nRecommendation 4: Within six months chief constables should ensure that officers",
    )
    doc = pcc_response.parse(text)
    assert [r.reference for r in doc.recommendations] == ["R3", "R4"]
    assert doc.recommendations[0].text == R1_TEXT
    assert doc.recommendations[1].timescale == "Within six months"


def test_a_recommendation_without_timescale_or_should(reference_text):
    text = reference_text.replace(
        "Within six months chief constables should ensure that forces record", "Forces to record"
    )
    first = pcc_response.parse(text).recommendations[0]
    assert (first.timescale, first.addressed_to) == (None, None)


def test_addressed_to():
    assert (
        pcc_response.addressed_to("By March 2020, the College of Policing should revise guidance.")
        == "College of Policing"
    )
    assert pcc_response.addressed_to("Immediately, chief constables and the CPS must agree a protocol.") == (
        "chief constables and the CPS"
    )
    assert pcc_response.addressed_to("Forces to record breaches.") is None


# ---- broken twins: each breaks one rule and says where -----------------------------------------


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(LoadRefused, match="the file is empty"):
        pcc_response.read(write(tmp_path, "\n \n"))


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "response.docx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(LoadRefused, match="the file is not text"):
        pcc_response.read(path)


def test_missing_table_header_is_refused(reference_text):
    assert refused(reference_text.replace("Recommendations\tD&C Response", "Recommendations and responses")) == [
        "response.txt: expected a table whose header row is 'Recommendations' and '<force> Response' separated by a tab"
    ]


def test_missing_headings_are_refused(reference_text):
    text = reference_text.replace("Chief Constable's comments", "Foreword").replace(
        "Police & Crime Commissioner's comments", "Closing remarks"
    )
    problems = refused(text)
    assert problems[0] == (
        'response.txt: expected a "Chief Constable\'s comments" heading between the title and the table'
    )
    assert problems[1] == 'response.txt: expected a "Police & Crime Commissioner\'s comments" heading after the table'


def test_row_without_a_tab_is_refused_with_its_line(reference_text):
    text = reference_text.replace("breaches of orders.\t<p>In D&C", "breaches of orders. <p>In D&C")
    assert refused(text) == [
        "response.txt, row 12: found 'Within six months chief constables should ensure that forces record stalking or '; "
        "expected a recommendation and the force's response separated by one tab"
    ]


def test_response_without_paragraphs_is_refused(reference_text):
    text = reference_text.replace("<p>All officers are due", "All officers are due").replace(
        "local SPOC's.</p> <p>Force Lead for Stalking and Harassment</p>", "local SPOC's. Force Lead"
    )
    problems = refused(text)
    assert len(problems) == 1
    assert problems[0].startswith("response.txt, row 13, column 'D&C Response': found 'All officers are due")
    assert problems[0].endswith("expected the response as HTML paragraphs (<p>...</p>), the last naming the owner")


def test_last_paragraph_that_is_not_an_owner_is_refused(reference_text):
    text = reference_text.replace(
        "<p>We will commission an audit of the recording of these crimes to offer assurance this process in D&C.</p> <p>Force Lead for Stalking and Harassment</p>",
        "<p>Force Lead for Stalking and Harassment</p> <p>We will commission an audit of the recording of these crimes to offer assurance this process in D&C.</p>",
    )
    problems = refused(text)
    assert problems == [
        "response.txt, row 12, column 'D&C Response': found 'We will commission an audit of the recording of these crimes "
        "to offer assurance '; expected the last paragraph of the response to name the owner "
        "(a role of at most 15 words)"
    ]


def test_text_after_the_owner_paragraph_is_refused(reference_text):
    text = reference_text.replace(
        "<p>Force Lead for Stalking and Harassment</p>\n\nPolice",
        "<p>Force Lead for Stalking and Harassment</p> and more\n\nPolice",
    )
    assert refused(text) == [
        "response.txt, row 13, column 'D&C Response': found 'and more'; "
        "expected the response to end with the paragraph naming the owner"
    ]


def test_numbers_on_some_rows_only_are_refused(reference_text):
    text = reference_text.replace(
        "\nWithin six months chief constables should ensure that officers",
        "\n2. Within six months chief constables should ensure that officers",
    )
    assert refused(text) == ["response.txt, row 12: expected every recommendation to carry its number, or none of them"]


def test_repeated_numbers_are_refused(reference_text):
    text = reference_text.replace(
        "\nWithin six months chief constables should ensure that",
        "\nR1 Within six months chief constables should ensure that",
    )
    assert refused(text) == [
        "response.txt, row 13: found 'R1'; each recommendation number may appear once; this repeats line 12"
    ]


def test_a_table_with_no_rows_is_refused(reference_text):
    lines = reference_text.split("\n")
    text = "\n".join(line for line in lines if "\t<p>" not in line)
    assert refused(text) == ["response.txt, row 11: the recommendations table has a header but no rows"]
