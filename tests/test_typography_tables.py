"""French typography (no-break spaces) and phone tables (labelled cells), on the built pages and
on crafted input."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from tisite.finish.tables import stack_on_phones
from tisite.finish.typography import NBSP, NNBSP, french_html, french_text

HDC = "hainaut-douaisis-cambresis"


def test_french_spaces_in_text_only() -> None:
    assert french_text("Quoi ? Oui ! a ; b : c") == f"Quoi{NNBSP}? Oui{NNBSP}! a{NNBSP}; b{NBSP}: c"
    assert french_text("« Bonjour »") == f"«{NBSP}Bonjour{NBSP}»"
    assert french_text("60 M€, 15 %, non renseigné") == f"60{NBSP}M€, 15{NBSP}%, non{NBSP}renseigné"
    # nothing is added, addresses and times are left alone
    for text in ("http://x.org/?a=1&b=2", "18:00", "a:b", "Quoi?"):
        assert french_text(text) == text
    # tags, attributes, comments and code keep their spaces
    html = '<a title="x : y">z : w</a> <code>a : b</code><!-- c : d --><pre>e ; f</pre> g ; h'
    assert french_html(html) == (
        f'<a title="x : y">z{NBSP}: w</a> <code>a : b</code><!-- c : d --><pre>e ; f</pre> '
        f"g{NNBSP}; h"
    )
    # a text node that starts with the space (after a link)
    assert french_html("<a>lien</a> : suite") == f"<a>lien</a>{NBSP}: suite"
    # a « · » separator stays at the end of the line it follows; « Élu·e » is left alone
    assert french_html("<a>a</a> · <a>b</a> · c") == f"<a>a</a>{NBSP}· <a>b</a>{NBSP}· c"
    assert french_text("Élu·e, Industriel·le") == "Élu·e, Industriel·le"


def test_built_pages_and_email_use_french_spaces(built_site: Path) -> None:
    action = (built_site / HDC / "plan-action/chef-de-projet/index.html").read_text("utf-8")
    assert f"Dernier point{NBSP}:" in action and "Dernier point :" not in action
    assert f"{NBSP}· Phase" in action and " · Phase" not in action
    # the theme's footer: each « · » after the link it follows
    footer = action[action.index('class="ti-footer__links"') :]
    assert re.search(r"</a>(?:&nbsp;|\xa0)·\s+<a", footer), footer[:400]
    assert not re.search(r"</a>\s+·", footer), footer[:400]
    report = (built_site / HDC / "plan-action/avancement/index.html").read_text("utf-8")
    assert "échéance dépassée (décembre 2024)" in report
    assert "échéance du 20" not in report  # never a raw ISO date
    # contributors' Markdown too (a letter's heading and text)
    letter = (built_site / HDC / "lettres/15/index.html").read_text("utf-8")
    assert f"Focus{NBSP}: Enterprise Europe Network" in letter
    text = (built_site / HDC / "lettres/15/email.txt").read_text("utf-8")
    assert f"Version en ligne{NBSP}: https://" in text


def test_tables_get_labels_for_phones() -> None:
    html = (
        "<table><thead><tr><th>EPCI</th><th>Communes &amp; x</th></tr></thead>"
        "<tbody><tr><td>CAPH</td><td>46</td></tr>"
        '<tr><th scope="row">Total</th><td class="ti-align-right">1</td></tr></tbody></table>'
    )
    soup = BeautifulSoup(stack_on_phones(html), "html.parser")
    assert soup.table.has_attr("data-stack")
    labels = [td["data-label"] for td in soup.find_all("td")]
    assert labels == ["EPCI", "Communes & x", "Communes & x"]
    # a header with a quote or markup cannot break out of the attribute
    crafted = '<table><thead><tr><th>"><img src=x onerror=alert(1)></th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
    out = stack_on_phones(crafted.replace("<img src=x onerror=alert(1)>", "&lt;b&gt;&quot;"))
    assert '<td data-label="&quot;&gt;&lt;b&gt;&quot;">' in out
    # a long header is cut: copied into every cell, it would swell the page
    long = stack_on_phones(
        f"<table><thead><tr><th>{'x' * 5000}</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    )
    assert len(BeautifulSoup(long, "html.parser").td["data-label"]) == 80
    # merged cells, nested tables, no header: left as they are (they scroll, see a11y.js)
    for kept in (
        '<table><thead><tr><th colspan="2">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>',
        "<table><tbody><tr><td>1</td></tr></tbody></table>",
    ):
        assert stack_on_phones(kept) == kept


def test_key_tables_of_built_pages_stack(built_site: Path) -> None:
    for page, header in (
        (f"{HDC}/carte-identite/index.html", "Population"),
        (f"{HDC}/plan-action/chef-de-projet/index.html", "Montant"),
        ("tableau-de-bord/index.html", "Total"),
    ):
        soup = BeautifulSoup((built_site / page).read_text("utf-8"), "html.parser")
        labelled = soup.select(f'table[data-stack] td[data-label="{header}"]')
        assert labelled, page


def test_no_page_shows_a_raw_iso_date(built_site: Path) -> None:
    """Dates are written in words (« décembre 2024 »), never « 2024-12 » (code aside)."""
    import re

    found = []
    for path in built_site.rglob("index.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        article = soup.select_one("article") or soup
        for tag in article(["script", "style", "code", "pre", "textarea"]):
            tag.decompose()
        text = article.get_text(" ")
        found += [
            f"{path.relative_to(built_site)} : {m.group(0)}"
            for m in re.finditer(r"\b(?:19|20)[0-9]{2}-[0-9]{2}(?:-[0-9]{2})?\b", text)
        ]
    assert not found, found


def test_a_table_whose_labels_would_bloat_the_page_scrolls_instead() -> None:
    """Each header is copied into every cell of its column: 20 headers of 80 characters over
    7,300 rows made a 72 MB page (an outside review). Beyond two million characters of
    labels the table is left as it is (it scrolls); control: the same table with 100 rows is
    labelled, and so is the big one without the budget."""
    from tisite.finish import tables

    def table(rows: int) -> str:
        head = "".join(f"<th>{'Intitulé très long ' * 4}{k}</th>" for k in range(20))
        body = "<tr>" + "<td>a</td>" * 20 + "</tr>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body * rows}</tbody></table>"

    big = table(7300)
    assert stack_on_phones(big) == big
    small = stack_on_phones(table(100))
    assert "data-stack" in small and small.count("data-label=") == 20 * 100
    budget, tables.LABELS_BUDGET = tables.LABELS_BUDGET, 10**12
    try:
        assert "data-stack" in stack_on_phones(big)  # without the budget: labelled
    finally:
        tables.LABELS_BUDGET = budget
