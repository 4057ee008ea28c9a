"""Sharing on LinkedIn: Open Graph on every page (read by extruct), social images, URLs that
never break, sitemap and robots.txt."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import extruct
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ti_inprocess
from tisite.generate.textutil import share_title
from tisite.publish.social import (
    TITLE_SIZES,
    Card,
    CardPainter,
    alt_text,
    draw_card,
    drawable,
    fit_title,
    font,
    graphemes,
    layout,
    wrap,
    write_cached,
)

SITE_URL = "https://territoires-industrie.example.org/"
REQUIRED = (
    "og:title", "og:description", "og:url", "og:image", "og:image:width", "og:image:height",
    "og:image:alt", "og:type", "og:site_name", "og:locale",
)  # fmt: skip
HDC = "territoires/hainaut-douaisis-cambresis"


def content_pages(site: Path) -> list[Path]:
    """Pages of the site (not redirects, not email documents, not the 404 page)."""
    out = []
    for path in site.rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' not in html:
            out.append(path)
    return out


def test_every_page_has_one_complete_set_of_open_graph_tags(built_site: Path) -> None:
    pages = content_pages(built_site)
    assert len(pages) >= 35
    seen_images = set()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        rel = path.parent.relative_to(built_site).as_posix()
        page_url = SITE_URL + ("" if rel == "." else rel + "/")
        og = extruct.extract(html, base_url=page_url, syntaxes=["opengraph"], uniform=True)[
            "opengraph"
        ]
        assert len(og) == 1, path
        tags = og[0]
        for key in REQUIRED:
            assert tags.get(key) or (key == "og:type" and tags.get("@type")), (path, key)
        soup = BeautifulSoup(html, "html.parser")
        counts = Counter(m.get("property") for m in soup.find_all("meta", property=True))
        assert all(n == 1 for n in counts.values()), (path, counts)
        assert tags["og:url"] == page_url == soup.find("link", rel="canonical")["href"]
        assert tags["og:locale"] == "fr_FR"
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        assert "<" not in tags["og:description"] and len(tags["og:description"]) <= 200
        image_url = tags["og:image"]
        assert image_url.startswith(SITE_URL), image_url
        image = built_site / urlsplit(image_url).path.lstrip("/")
        assert image.is_file(), image
        assert image.stat().st_size < 5 * 1024 * 1024
        with Image.open(image) as img:
            assert img.format == "PNG"
            assert (
                img.size
                == (int(tags["og:image:width"]), int(tags["og:image:height"]))
                == (1200, 627)
            )
        seen_images.add(image_url)
    assert len(seen_images) == len(pages)  # one image per page


def test_letters_and_actions_are_articles_with_dates(built_site: Path) -> None:
    for rel, published in (
        ("hainaut-douaisis-cambresis/lettres/14/", "2022-09-20"),
        ("hainaut-douaisis-cambresis/plan-action/chef-de-projet/", "2022-07-06"),
    ):
        html = (built_site / rel / "index.html").read_text(encoding="utf-8")
        og = extruct.extract(html, base_url=SITE_URL + rel, syntaxes=["opengraph"], uniform=True)
        tags = og["opengraph"][0]
        assert tags["@type"] == "article"
        assert tags["article:published_time"] == published
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one(f"article time[datetime='{published}']") is not None


def test_share_box_without_trackers(built_site: Path) -> None:
    html = (built_site / "hainaut-douaisis-cambresis/lettres/14/index.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one(".ti-share a.md-button")
    assert link["href"] == (
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A//territoires-industrie"
        ".example.org/hainaut-douaisis-cambresis/lettres/14/"
    )
    assert (
        soup.select_one("button.ti-copy[data-copy]")["data-copy"]
        == SITE_URL + "hainaut-douaisis-cambresis/lettres/14/"
    )
    text = soup.select_one("textarea.ti-post-text").get_text()
    lines = text.split("\n")
    assert lines[0].startswith(
        "Lettre d'information n°\u00a014 du Territoire d'industrie Hainaut-Douaisis-Cambrésis"
    )
    assert SITE_URL + "hainaut-douaisis-cambresis/lettres/14/" in lines
    assert not [s for s in soup.find_all("script", src=True) if "linkedin" in s["src"]]


@pytest.mark.lent
@pytest.mark.parametrize("minimum", [CardPainter.MINIMUM, 1])
def test_social_images_wrap_long_titles_and_are_cached(
    project: Path, monkeypatch: pytest.MonkeyPatch, minimum: int
) -> None:
    """The same counts whether the cards are drawn where they are written (fewer than
    CardPainter.MINIMUM, as the example's 50) or in a worker process (minimum lowered)."""
    monkeypatch.setattr(CardPainter, "MINIMUM", minimum)
    title = "Une proposition de titre démesurément longue " * 8
    lines = wrap(title, font(48, bold=True), 700, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(font(48, bold=True).getlength(line) <= 700 for line in lines)
    with Image.open(__import__("io").BytesIO(draw_card(Card(title, "Fiche action", "X")))) as img:
        assert img.size == (1200, 627)
    first = ti_inprocess("build", cwd=project)
    assert first.returncode == 0, first.stderr
    assert "Images de partage : 50 dessinées, 0 en cache." in first.stderr
    second = ti_inprocess("build", cwd=project)
    assert "Images de partage : 0 dessinée, 50 en cache." in second.stderr
    path = project / HDC / "actions/communication.md"
    path.write_text(
        path.read_text("utf-8").replace("titre: Réaliser des actions", "titre: Mener des actions")
    )
    third = ti_inprocess("build", cwd=project)
    assert "Images de partage : 1 dessinée, 49 en cache." in third.stderr


@pytest.mark.lent
def test_dropping_a_published_url_fails_the_build(project: Path) -> None:
    (project / HDC / "actions/communication.md").unlink()
    result = ti_inprocess("build", cwd=project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert (
        "l'adresse publiée /hainaut-douaisis-cambresis/plan-action/communication/ disparaîtrait : "
        "si la fiche action a été renommée, déclarez l'ancien identifiant dans "
        "« anciens_identifiants »"
    ) in output
    assert "Traceback" not in output


def test_a_dropped_page_is_told_where_its_file_was(project: Path) -> None:
    """A page written by hand (docs/) or a page of a territory that disappears is told where
    its file is, not to declare a former identifier (which only a fiche action and a
    territory have); a page of the network, that the site no longer makes."""
    from tisite.publish.registry import _gone_page

    hand = _gone_page("/contribuer/ancienne-page/", project)
    assert (
        "la page docs/contribuer/ancienne-page.md (ou contribuer/ancienne-page/index.md) a-t-elle "
        in hand
    )
    assert "anciens_identifiants" not in hand
    governance = _gone_page("/hainaut-douaisis-cambresis/gouvernance/", project)
    assert "(dans territoires/hainaut-douaisis-cambresis/) a-t-il été retiré" in governance
    assert "cette page du réseau n'est plus produite" in _gone_page("/tableau-de-bord/", project)
    assert "anciens_identifiants" in _gone_page(  # control: a fiche action
        "/hainaut-douaisis-cambresis/plan-action/x/", project
    )


def test_a_renumbered_letter_is_told_to_keep_its_number(project: Path) -> None:
    """A letter has no former identifier (« anciens_identifiants » is refused in a letter):
    the message says to give the file its number back. Control: a fiche action's message
    names the former identifier."""
    letters = project / HDC / "lettres"
    (letters / "15.md").rename(letters / "19.md")
    output = ti_inprocess("check", cwd=project).stderr
    assert (
        "l'adresse publiée /hainaut-douaisis-cambresis/lettres/15/ disparaîtrait : une lettre "
        "garde son numéro ; si le fichier 15.md a été renommé ou supprimé par erreur, "
        "remettez-le sous ce nom"
    ) in output
    assert "lettres/15/ disparaîtrait : si la fiche action a été renommée" not in output
    from tisite.publish.registry import _gone_page

    assert "anciens_identifiants" in _gone_page(
        "/hainaut-douaisis-cambresis/plan-action/x/", project
    )


def test_a_published_page_set_back_as_a_draft_is_told_so(project: Path) -> None:
    """A published letter and fiche whose files are marked « brouillon »: the message names
    the file and the draft (it said to put back a file that is there). Control: a deleted
    fiche keeps its own message (above)."""
    letter = project / HDC / "lettres/15.md"
    letter.write_text(letter.read_text("utf-8").replace("---\n", "---\nbrouillon: true\n", 1))
    action = project / HDC / "actions/communication.md"
    action.write_text(action.read_text("utf-8").replace("---\n", "---\nbrouillon: true\n", 1))
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    for address, source in (
        ("lettres/15/", "lettres/15.md"),
        ("plan-action/communication/", "actions/communication.md"),
    ):
        assert (
            f"l'adresse publiée /{HDC.split('/')[1]}/{address} disparaîtrait : {HDC}/{source} est marqué "
            "« brouillon », et un brouillon n'est pas publié ; retirez « brouillon: true »"
        ) in result.stderr, result.stderr
    assert "renommé ou supprimé par erreur" not in result.stderr
    # a line not written as the build writes them (no leading « / »): taking the draft off
    # would not make it match; the draft is not blamed there
    registry = project / "urls-publiees.txt"
    lines = registry.read_text("utf-8")
    odd = f"{HDC.split('/')[1]}/lettres/15/"
    registry.write_text(lines.replace(f"/{odd}\n", f"{odd}\n"), "utf-8")
    said = ti_inprocess("check", cwd=project).stderr
    assert f"l'adresse publiée {odd} disparaîtrait : " in said and "15.md est marqué" not in said


@pytest.mark.lent
def test_renamed_territory_keeps_its_urls(renamed_project: Path) -> None:
    project = renamed_project  # grand-chatellerault renamed, its former id declared
    new = project / "territoires/grand-chatellerault-vienne"
    assert "anciens_identifiants: [grand-chatellerault]" in (new / "territoire.yml").read_text()
    assert not (project / "territoires/grand-chatellerault").exists()
    site = project / "site"
    redirect = BeautifulSoup(
        (site / "grand-chatellerault/plan-action/index.html").read_text("utf-8"), "html.parser"
    )
    assert (
        redirect.find("meta", attrs={"http-equiv": "refresh"})["content"]
        == "0; url=../../grand-chatellerault-vienne/plan-action/"
    )
    redirects = (site / "_redirects").read_text("utf-8").splitlines()
    assert "/grand-chatellerault/ /grand-chatellerault-vienne/ 301" in redirects


@pytest.mark.lent
def test_site_url_is_required(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "site_url: https://territoires-industrie.example.org/\n", ""
        )
    )
    result = ti_inprocess("build", cwd=project)
    assert result.returncode != 0
    assert "« site_url » est obligatoire" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("industrie-nfc.example.fr", "écrivez-la avec « https:// », par exemple « https://indus"),
        ("www.exemple.fr/site/", "écrivez-la avec « https:// »"),
        ("ftp://exemple.fr/", "écrivez-la avec « https:// »"),
        ("https://", "un caractère qui n'a pas sa place"),
        # printed raw by the theme in every page's canonical link: a refresh to another site
        (
            'https://exemple.fr/"><meta http-equiv=refresh content=0;url=https://evil.example/>',
            "un caractère qui n'a pas sa place",
        ),
        ("https://user:pw@exemple.fr/", "ni identifiant ni mot de passe"),
        ("https://exemple .fr/", "un caractère qui n'a pas sa place"),
        ("https://exemple.fr:abc/", "un caractère qui n'a pas sa place"),
        ("http://[::1/", "un caractère qui n'a pas sa place"),  # urlsplit raised ValueError
        ("\x1b[31mexemple.fr", "écrivez-la avec « https:// »"),
    ],
)
def test_a_site_url_that_is_not_a_clean_address_is_refused_in_french_on_its_line(
    tmp_path: Path, written: str, advice: str
) -> None:
    """MkDocs refuses an address without scheme in English, and lets through one that holds a
    quote (the theme prints it raw: a hostile site_url redirected every page to another site,
    and ti check said it was valid) or a password (published): the core refuses each first, in
    French, on its line, before anything uses it. Control: clean addresses pass."""
    from tisite.pipeline import site_url_problem

    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: placeholder\n", "utf-8")
    problem = site_url_problem(tmp_path, written)
    assert problem is not None and (problem.file, problem.line) == ("mkdocs.yml", 2)
    assert advice in problem.message, problem.message
    assert "\x1b" not in problem.format()  # shown, not sent to the terminal
    for good in (
        "https://industrie-nfc.example.fr/",
        "http://localhost:8000/",
        "https://collectif.gitlab.io/mon-territoire/",
    ):
        assert site_url_problem(tmp_path, good) is None  # control


@pytest.mark.lent
def test_ti_check_says_what_to_write_for_a_site_url_without_https(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("site_url: https://", "site_url: "), "utf-8")
    result = ti_inprocess("check", cwd=project)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "« https://territoires-industrie.example.org/ »" in out and "scheme" not in out, out
    hostile = 'https://exemple.fr/"><meta http-equiv=refresh content=0;url=https://evil.example/>'
    config.write_text(
        text.replace(
            "site_url: https://territoires-industrie.example.org/", (f"site_url: '{hostile}'")
        ),
        "utf-8",
    )
    for command in ("check", "build"):
        result = ti_inprocess(command, cwd=project)
        assert result.returncode == 1 and "n'a pas sa place" in result.stderr, result.stderr
    assert not (project / "site").exists()


def test_sitemap_and_robots(built_site: Path) -> None:
    sitemap = BeautifulSoup((built_site / "sitemap.xml").read_text("utf-8"), "xml")
    locs = [loc.get_text() for loc in sitemap.find_all("loc")]
    assert SITE_URL + "hainaut-douaisis-cambresis/plan-action/chef-de-projet/" in locs
    assert all(loc.startswith(SITE_URL) for loc in locs)
    robots = (built_site / "robots.txt").read_text("utf-8")
    assert "User-agent: *\nAllow: /" in robots
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots


def test_cards_drawn_in_background_process(tmp_path: Path) -> None:
    cards = [Card(f"Fiche n°{i}", "Fiche action", "Territoire", None) for i in range(3)]
    # Fewer cards than the minimum: drawn when written, no process started for them.
    few = CardPainter(tmp_path / "images", workers=1, minimum=4)
    few.submit(cards)
    assert few.pending == set() and few._pool is None
    painter = CardPainter(tmp_path / "images", workers=1, minimum=3)
    painter.submit([*cards, cards[0]])  # duplicates are drawn once
    painter.wait()
    assert painter.pending == {c.digest() for c in cards}
    for card in cards:
        path = tmp_path / "images" / f"{card.digest()}.png"
        assert path.read_bytes() == draw_card(card)  # the same PNG as drawn in the build
    target = tmp_path / "site" / "partage.png"
    target.parent.mkdir()
    assert write_cached(cards[1], tmp_path / "images", target) is True
    assert Image.open(target).size == (1200, 627)
    # One processor, or no cache folder: nothing runs in the background.
    idle = CardPainter(None, workers=1)
    idle.submit(cards)
    assert idle.pending == set()
    assert CardPainter(tmp_path / "autres", workers=0).workers == 0


TITLE_BOX = 692  # width of the title beside a key figure (see social._draw)


def test_card_titles_shrink_before_breaking_a_word() -> None:
    for name in ("Grand-Châtellerault", "Hainaut-Douaisis-Cambrésis"):
        fnt, lines = fit_title(name, TITLE_BOX, 300)
        assert lines == [name], (name, fnt.size, lines)
    # negative control: at the largest size, the name does not fit whole
    wide = layout("Hainaut-Douaisis-Cambrésis", font(max(TITLE_SIZES), True), TITLE_BOX, 4)
    assert wide.split_word and not wide.cut_word  # broken after a hyphen, never twice
    assert not any(line.endswith("--") for line in wide.lines)
    # a word too long for any size is cut between letters, never inside a letter and its accent
    word = "e\u0301" * 60
    fnt, lines = fit_title(word, TITLE_BOX, 300)
    assert len(lines) > 1 and all(line.endswith("-") for line in lines[:-1])
    for line in lines:
        assert graphemes(line)[0][0] == "é"
    # legible in LinkedIn's small preview (400 × 209): at least 13 px of title
    assert min(TITLE_SIZES) * 400 / 1200 >= 13


def test_card_text_never_draws_boxes_or_runaway_marks() -> None:
    assert drawable("🏭 Industrie 🚀 verte ✅", bold=True) == "Industrie verte"
    assert drawable("Cambre\u0301sis") == "Cambrésis"  # composed, same as typed with é
    zalgo = "Z" + "\u0301\u0300\u0302\u0303\u0304" + "a"
    assert drawable(zalgo) == "\u0179\u0300a"  # two marks kept on a letter (Ź + grave)
    assert drawable("a\u200bb\u202ec") == "abc"  # invisible format characters
    # the card is drawn, the same size, whatever the title
    with Image.open(__import__("io").BytesIO(draw_card(Card("🏭🚀", "Fiche action", "X")))) as im:
        assert im.size == (1200, 627)


def test_share_titles_and_alt_texts(built_site: Path) -> None:
    assert share_title("Un titre court — Territoire") == "Un titre court — Territoire"
    whole = "Lettre n° 15 : Décarbonation de l'industrie, les dispositifs à connaître — Hainaut"
    assert share_title(whole) == whole  # LinkedIn cuts a title itself, at two lines
    long = (
        "Soutenir la transition vers l'industrie 4.0 et le grand chantier de la robotique dans "
        "les entreprises du territoire — Hainaut-Douaisis-Cambrésis"
    )
    assert share_title(long) == (
        "Soutenir la transition vers l'industrie 4.0 et le grand chantier de la robotique dans "
        "les entreprises du…"
    )
    assert alt_text(Card("Agenda", "Agenda", "HDC")) == "Agenda — Territoire d'industrie HDC"
    assert (
        alt_text(Card("HDC", "Territoire d'industrie", "HDC", "765 780 habitants"))
        == "Territoire d'industrie — HDC — 765 780 habitants"
    )
    for path in content_pages(built_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        title = soup.find("meta", property="og:title")["content"]
        assert len(title) <= 110, (path, title)
        alt = soup.find("meta", property="og:image:alt")["content"]
        parts = [p.strip().casefold() for p in alt.replace(" : ", " — ").split(" — ")]
        assert len(parts) == len(set(parts)), (path, alt)


def test_open_graph_returns_the_card_and_records_nothing(tmp_path: Path) -> None:
    """tisite.generate.sharing is pure: the card comes back with the tags; a page's own image is used
    only inside docs/ (control: the same image inside docs/ is taken)."""
    from PIL import Image

    from tisite.generate import sharing

    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    Image.new("RGB", (640, 320)).save(tmp_path / "dehors.png")
    site = sharing.SharedSite("Réseau", "Description", "https://exemple.fr/", docs)
    outside = sharing.SharedPage("guide/index.md", "guide/", "Guide", {"image": "../../dehors.png"})
    shared = sharing.open_graph(outside, site)
    assert shared.card_path == "guide/partage.png" and shared.card is not None
    assert shared.tags["image"] == f"https://exemple.fr/guide/partage.png?v={shared.card.version()}"
    assert sharing.open_graph(outside, site) == shared  # same input, same answer
    (docs / "guide" / "lien.png").symlink_to(tmp_path / "dehors.png")  # a link out of docs/
    linked = sharing.SharedPage("guide/index.md", "guide/", "Guide", {"image": "lien.png"})
    assert sharing.open_graph(linked, site).card is not None
    Image.new("RGB", (640, 320)).save(docs / "guide" / "dedans.png")
    inside = sharing.SharedPage("guide/index.md", "guide/", "Guide", {"image": "dedans.png"})
    own = sharing.open_graph(inside, site)
    assert own.card is None and own.tags["image"] == "https://exemple.fr/guide/dedans.png"
    assert (own.tags["image_width"], own.tags["image_height"]) == (640, 320)


# --- legibility of the cards in a 360 px wide thumbnail (LinkedIn's feed on a phone) --------
THUMBNAIL = 360
SCALE = THUMBNAIL / 1200


def example_cards(root: Path) -> list[Card]:
    """The card of every generated page of the example, and the longest figures and kinds."""
    from tisite.content.loader import load_site
    from tisite.generate.render import Renderer

    cards = [p.card for p in Renderer(load_site(root)).pages() if p.card is not None]
    return [
        *cards,
        Card("Un titre", "Fiche action", "Hainaut-Douaisis-Cambrésis", "Statut : Non renseigné"),
        Card("Un titre", "Déclaration d'accessibilité", None, "1 234 567,89 € de budget"),
    ]


def legibility_problems(card: Card) -> list[str]:
    """Every line of the card, measured in the thumbnail: its size (12 px at least), and its
    ink as tall as the same text drawn at the smallest allowed size (40 px on the card)."""
    import io

    from tisite.publish import social

    thumb = Image.open(io.BytesIO(draw_card(card))).convert("L")
    thumb = thumb.resize((THUMBNAIL, round(627 * SCALE)), Image.Resampling.LANCZOS)
    _, lines = social.compose(card)
    problems = []
    for line in lines:
        if line.size * SCALE < 12:
            problems.append(f"{line.text!r} : {line.size * SCALE:.1f} px")
        x0, y0, x1, y1 = (round(v * SCALE) for v in line.box)
        region = thumb.crop((x0, y0 - 1, x1, y1 + 1))
        background = region.getpixel((0, 0))
        width, height = region.size
        inked = [
            y
            for y in range(height)
            if any(abs(region.getpixel((x, y)) - background) > 60 for x in range(width))
        ]
        smallest = social.font(social.MIN_TEXT, line.bold).getbbox(line.text)
        wanted = (smallest[3] - smallest[1]) * SCALE
        measured = inked[-1] - inked[0] + 1 if inked else 0
        if measured < wanted - 1:
            problems.append(f"{line.text!r} : encre {measured} px, attendu {wanted:.1f}")
    return problems


def figure_whole(card: Card) -> bool:
    """The card's key figure is drawn whole, on one line (« Statut : En cours »)."""
    from tisite.publish import social

    _, lines = social.compose(card)
    return any(line.text == drawable(card.figure or "", bold=True) for line in lines)


def test_every_line_of_every_card_is_legible_in_a_thumbnail(project: Path) -> None:
    cards = example_cards(project)
    assert len(cards) > 40
    problems = [(c.title, p) for c in cards for p in legibility_problems(c)]
    assert not problems, problems[:10]
    figures = [c for c in cards if c.figure]
    assert any(c.figure == "En cours · échéance dépassée" for c in figures)  # the longest
    assert all(figure_whole(c) for c in figures), [c.figure for c in figures]


def test_a_late_actions_card_says_what_its_page_says(project: Path) -> None:
    """A fiche whose planned end passed says « Échéance dépassée » on its page: its share card
    (what LinkedIn shows) says it too, beside its status. Control: before its end, the card
    gives the status alone."""
    import datetime as dt

    from tisite.content.loader import load_site
    from tisite.generate.render import Renderer

    site = load_site(project)
    for today, figure in (
        (dt.date(2024, 6, 1), "Statut : En cours"),
        (dt.date(2026, 11, 22), "En cours · échéance dépassée"),
    ):
        pages = Renderer(site, today=today).pages()
        card = next(p.card for p in pages if p.path.endswith("/industrie-bas-carbone/index.md"))
        assert card is not None and card.figure == figure, (today, card)


def test_control_the_former_sizes_and_wrapped_badge_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative controls: the former sizes (territory 30 px, kind 28 px) are too small in the
    thumbnail, and a figure wrapped in the former 300 px box breaks « Statut : En / cours »."""
    from tisite.publish import social

    card = Card("Un titre", "Fiche action", "Grand-Châtellerault", "Statut : En cours")
    assert not legibility_problems(card) and figure_whole(card)
    monkeypatch.setattr(social, "TERRITORY_SIZE", 30)
    monkeypatch.setattr(social, "KIND_SIZE", 28)
    social._background.cache_clear()
    problems = legibility_problems(card)
    assert any("Grand-Châtellerault" in p for p in problems), problems
    assert any("'Fiche action'" in p for p in problems), problems
    monkeypatch.setattr(social, "_one_line", lambda text, fnt, width: wrap(text, fnt, 300, 3)[0])
    assert not figure_whole(card)
    social._background.cache_clear()


def test_cards_are_written_as_drawn() -> None:
    """The PNG written by blocks (social._png) decodes to the very indices drawn, palette
    image, no metadata; a block reused from the background is the background's."""
    import io

    from tisite.publish import social

    for card in (
        Card("Accompagner les projets de territoire", "Fiche action", "HDC", "Statut : En cours"),
        Card("Accueil", "Le réseau"),
    ):
        canvas, _ = social.compose(card)
        with Image.open(io.BytesIO(draw_card(card))) as image:
            image.load()
            assert image.mode == "P" and image.info == {}
            assert image.tobytes() == canvas.tobytes()
            assert image.getpalette()[:3] == [255, 255, 255]  # white, the first index


def test_share_and_published_images_are_named_by_the_code_that_makes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both are cached under a hash of what they are made from, the code that draws or encodes
    them included (diskcache.loaded_digest; its modules, fonts, Pillow's version): the drawing
    or the encoding changed, every image is made again. A key without the code (the former
    hand-kept version numbers) names them the same and fails here."""
    from tisite.content import images
    from tisite.publish import social

    card = social.Card("Accompagner les entreprises", "Fiche action", "Grand-Châtellerault")
    photo = tmp_path / "photo.png"
    Image.new("RGB", (40, 30), (0, 0, 145)).save(photo)
    cache = tmp_path / "cache"
    name = dataclasses.replace(card).digest()
    images.published(photo, cache, "photo.png")
    assert len(list(cache.iterdir())) == 1
    monkeypatch.setattr(social, "loaded_digest", lambda: "le dessin a changé")
    monkeypatch.setattr(images, "loaded_digest", lambda: "l'encodage a changé")
    assert dataclasses.replace(card).digest() != name
    images.published(photo, cache, "photo.png")
    assert len(list(cache.iterdir())) == 2


def test_a_card_s_address_changes_with_what_it_shows() -> None:
    """LinkedIn keeps an image by its address: a new status, a new address (the file's name
    stays, the query changes); the same card, the same address (control)."""
    import dataclasses

    from tisite.publish.social import Card

    card = Card("Fiche", "Fiche action", "Douaisis", "En cours", "Site")
    assert card.version() == Card("Fiche", "Fiche action", "Douaisis", "En cours", "Site").version()
    assert card.version() != dataclasses.replace(card, figure="Terminé").version()


def test_a_card_says_each_thing_once(built_site: Path) -> None:
    """A section's card has the territory's name as its title and the section as its badge
    (review: « Gouvernance » twice, the name in small print); its bottom line does not repeat
    the title nor the badge; a fiche without any progress point shows no « Statut : Non
    renseigné »."""
    from tisite.publish.social import territory_line

    hdc = "Hainaut-Douaisis-Cambrésis"
    assert territory_line(Card(hdc, "Gouvernance", hdc)) == "Territoire d'industrie"
    assert territory_line(Card(hdc, "Territoire d'industrie", hdc)) is None
    assert territory_line(Card("Forum", "Fiche action", hdc)) == f"Territoire d'industrie {hdc}"

    def alt(path: str) -> str:
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        tag = BeautifulSoup(html, "html.parser").find("meta", property="og:image:alt")
        return str(tag["content"])

    assert alt("hainaut-douaisis-cambresis/gouvernance") == f"Gouvernance — {hdc}"
    assert (
        alt("hainaut-douaisis-cambresis/plan-action") == f"Plan d'action — {hdc} — 8 fiches actions"
    )
    empty = alt("grand-chatellerault/plan-action/volontariat-territorial-entreprise")
    assert "Statut" not in empty and empty.startswith("Fiche action — ")
    assert "En cours" in alt("hainaut-douaisis-cambresis/plan-action/industrie-bas-carbone")


def test_a_published_letter_dated_later_is_told_so(project: Path) -> None:
    """A published letter whose date is set later: it is not a draft, the message says why
    it would disappear (a letter appears on its day)."""
    import datetime as dt

    from tisite import clock

    letter = project / HDC / "lettres/15.md"
    later = clock.today() + dt.timedelta(days=30)
    letter.write_text(letter.read_text("utf-8").replace("date: 2022-11-15", f"date: {later}"))
    said = ti_inprocess("check", cwd=project).stderr
    assert (
        f"disparaîtrait : {HDC}/lettres/15.md est daté d'un jour à venir, et une lettre ne paraît "
        "que le jour de sa date"
    ) in said, said


def test_a_published_letter_set_back_as_a_draft_with_a_quoted_key_is_told_so(
    project: Path,
) -> None:
    """« "brouillon": true » (a quoted key, as an editor may write it) is a draft, not a letter
    dated later (review: the message blamed its date)."""
    letter = project / HDC / "lettres/15.md"
    letter.write_text(letter.read_text("utf-8").replace("---\n", '---\n"brouillon": true\n', 1))
    said = ti_inprocess("check", cwd=project).stderr
    assert "lettres/15.md est marqué « brouillon »" in said, said
