"""The core's Markdown conversion: one link resolver for the whole site, the table of contents,
and the anchors and links every page is checked with (see tisite.generate.convert, tisite.generate.pagehtml)."""

from __future__ import annotations

from tisite.generate.convert import Converter, Link, page_address, resolve
from tisite.generate.pagehtml import check_links, make_ready

PAGE = "t/lettres/14/index.md"


def test_links_are_resolved_from_the_page_file_to_addresses() -> None:
    assert resolve(PAGE, "../15/index.md") == (
        "../15/",
        Link("../15/index.md", "page", "t/lettres/15/index.md"),
    )
    assert resolve(PAGE, "../../plan-action/x/index.md#budget")[0] == "../../plan-action/x/#budget"
    assert resolve(PAGE, "images/a.jpg") == (
        "images/a.jpg",
        Link("images/a.jpg", "file", "t/lettres/14/images/a.jpg"),
    )
    assert resolve("programme.md", "contribuer/index.md")[0] == "../contribuer/"
    assert resolve("programme.md", "img/x.png")[0] == "../img/x.png"
    assert resolve(PAGE, "#haut") == ("#haut", Link("#haut", "self", None, "haut"))
    # from the site's root: relative to the page (the site may be under a path of its host)
    assert resolve(PAGE, "/ailleurs/#x") == (
        "../../../ailleurs/#x",
        Link("/ailleurs/#x", "site", "ailleurs/", "x"),
    )
    assert resolve(PAGE, "/")[0] == "../../../"
    # a page's file from the root: the page's address (« index.md » is no file of the site)
    assert resolve(PAGE, "/t/priorites/index.md")[0] == "../../priorites/"
    assert resolve(PAGE, "\\ailleurs") == ("\\ailleurs", Link("\\ailleurs", "absolute"))
    for outside in ("https://exemple.org/a.md", "mailto:a@exemple.org", "//hote/x"):
        assert resolve(PAGE, outside) == (outside, None)
    assert page_address("a/index.md") == "a/" and page_address("a/b.md") == "a/b/"
    assert page_address("index.md") == ""


def test_a_broken_link_is_told_how_to_write_it_from_where_it_is() -> None:
    """The way to a fiche action from the page the link is on (a letter, a fiche, the
    priorities); images in lettres/ only from a letter; a web address written without
    « https:// » (« www.site.fr », read as a file of the site) told to add it."""
    from tisite.generate.pagehtml import missing_target

    letter = missing_target("x.md", "t/lettres/15/x.md", None, "t/lettres/15/index.md")
    assert "(une fiche action : ../../plan-action/<identifiant>/index.md ; une image" in letter
    fiche = missing_target("y.md", "t/plan-action/x/y.md", None, "t/plan-action/x/index.md")
    assert "(une fiche action : ../<identifiant>/index.md, nom et majuscules" in fiche
    assert "image" not in fiche
    assert "../plan-action/<identifiant>/index.md" in missing_target(
        "z", "t/z", None, "t/priorites/index.md"
    )
    for bare in ("www.afpi-hainaut.fr", "afpi-hainaut.fr/formations"):
        assert missing_target(bare, f"t/{bare}").endswith(f"écrivez « https://{bare} »")
    assert "https://" not in missing_target("photo.jpg", "t/photo.jpg")  # control: a file


def test_a_full_address_of_the_site_itself_is_a_link_of_the_site() -> None:
    """« https://site.fr/ti/t/x/ » written in a page of the site published at
    « https://site.fr/ti/ »: a link from the site's root, checked like the others (a typo in it
    was published) and written relative; quoted as written. Controls: another site, another
    path of the host, and a resolver given no address, leave it as it is."""
    site = "https://site.fr/ti/"
    written, link = resolve(PAGE, "HTTP://Site.FR/ti/t/plan-action/x/#budget", site)
    assert written == "../../plan-action/x/#budget"
    assert link == Link(
        "HTTP://Site.FR/ti/t/plan-action/x/#budget", "site", "t/plan-action/x/", "budget"
    )
    assert resolve(PAGE, "https://site.fr/ti", site)[0] == "../../../"
    # « //autre.hote/ » after the site's path would lead to another host: left as written
    for outside in (
        "https://autre.fr/ti/t/",
        "https://site.fr/tic/t/",
        "https://site.fr/",
        "https://site.fr/ti//evil.example/phish/",
        "https://site.fr/ti/\\evil.example/",
    ):
        assert resolve(PAGE, outside, site) == (outside, None), outside
    assert resolve(PAGE, "https://site.fr/ti/t/x/") == ("https://site.fr/ti/t/x/", None)


def _ready(path: str, text: str):  # type: ignore[no-untyped-def]
    converter = Converter(["toc", "tables", "attr_list"], {"toc": {"permalink": True}})
    return make_ready(converter, path, text, contributed=True)


def test_every_link_and_anchor_is_checked() -> None:
    pages = {
        "a/index.md": _ready(
            "a/index.md",
            "# A\n\n## Budget\n\n[b](../b/index.md#calendrier) [c](../c/index.md) [ici](#budget) [là](#nulle-part) [dossier](../b/) [img](x.png) [racine](/b/) [nulle](/z/) [oblique](\\b)\n",
        ),
        "b/index.md": _ready("b/index.md", "# B\n\n## Budget\n"),
    }
    assert pages["a/index.md"].heading == "A"
    assert [t["id"] for t in pages["a/index.md"].toc[0]["children"]] == ["uc-budget"]
    errors, notes = check_links(pages, ["a/x.png"], lambda page, text: (page, 3))
    messages = [p.message for p in errors]
    assert messages == [
        "lien vers « ../b/index.md#calendrier » : la page b/index.md n'a pas de section « calendrier »",
        "lien vers « ../c/index.md » : la page ou le fichier visé n'existe pas (c/index.md) ; vérifiez le chemin depuis ce fichier, nom et majuscules compris",
        "lien vers « #nulle-part » : aucune section de cette page ne porte cet identifiant ; l'identifiant d'un titre s'écrit en minuscules sans accent, avec des tirets à la place des espaces",
        "lien « ../b/ » non reconnu : un lien vers une page du site vise son fichier .md (une fiche action depuis une lettre : ../../plan-action/<identifiant>/index.md ; la page d'un territoire : ../../priorites/index.md) ; une adresse web commence par https://",
        "lien « /z/ » : aucune page ni aucun fichier du site à cette adresse ; vérifiez-la (l'adresse d'une page s'affiche dans le navigateur), ou écrivez le chemin du fichier .md depuis ce fichier (par exemple ../../priorites/index.md)",
    ]
    assert all(p.file == "a/index.md" and p.line == 3 for p in errors)
    assert [p.message.split(" :")[0] for p in notes] == ["lien absolu « \\b » laissé tel quel"]
    # Control: with the pages' anchors and every file known, nothing is reported.
    assert check_links({"b/index.md": pages["b/index.md"]}, [], lambda p, t: (p, None)) == ([], [])


def test_a_broken_link_one_slip_away_is_given_its_fix() -> None:
    """A section or an address one slip away gets « vouliez-vous dire » (outside review: only
    the .md form of a link did), a contributor's heading named once (not its « uc- » twin); a
    link to a letter that does not exist says how a letter is written and which ones exist.
    Controls: nothing close, nothing suggested."""
    t = "t"
    pages = {
        f"{t}/plan-action/a/index.md": _ready(
            f"{t}/plan-action/a/index.md",
            "# A\n\n## Budget prévu\n\n[x](#budget-prevus) [y](../../lettres/15/index.md#boite-outils) "
            "[z](/t/plan-action/diagnostics/) [l](../../lettres/18/index.md) [n](#zzz)\n",
        ),
        f"{t}/lettres/14/index.md": _ready(f"{t}/lettres/14/index.md", "# L14\n"),
        f"{t}/lettres/15/index.md": _ready(
            f"{t}/lettres/15/index.md", "# L15\n\n## Boîte à outils\n"
        ),
        f"{t}/plan-action/diagnostic/index.md": _ready(
            f"{t}/plan-action/diagnostic/index.md", "# D\n"
        ),
    }
    errors, _ = check_links(pages, [], lambda page, text: (page, 1))
    said = [p.message.split(" ; ")[-1] for p in errors]
    assert said == [
        "vouliez-vous dire « #budget-prevu » ?",
        "vouliez-vous dire « ../../lettres/15/index.md#boite-a-outils » ?",
        "vouliez-vous dire « /t/plan-action/diagnostic/ » ?",
        "lettres publiées de ce territoire : n°\u00a014, 15",
        "l'identifiant d'un titre s'écrit en minuscules sans accent, avec des tirets à la place "
        "des espaces",
    ], said
    letter = next(p.message for p in errors if "lettres/18" in p.message)
    assert "une lettre : ../../lettres/<numéro>/index.md" in letter
    assert "une fiche action" not in letter
    # `ti check` also reads the letters dated later: never listed as published (review)
    later = frozenset({f"{t}/lettres/15/index.md"})
    errors, _ = check_links(pages, [], lambda page, text: (page, 1), later=later)
    letter = next(p.message for p in errors if "lettres/18" in p.message)
    assert letter.endswith("lettres publiées de ce territoire : n°\u00a014"), letter
    # a build without the territory's letters (another territory alone) claims nothing
    alone = {k: v for k, v in pages.items() if "/lettres/" not in k}
    errors, _ = check_links(alone, [], lambda page, text: (page, 1))
    assert not [
        p.message for p in errors if "lettres publiées" in p.message or "aucune lettre" in p.message
    ]


def test_a_section_among_too_many_alike_is_not_guessed() -> None:
    """A page of hundreds of sections of alike identifiers: no « vouliez-vous dire » (each
    reported link compared every identifier, about a second each; review), one suggestion when
    only a few are alike (control)."""
    from tisite.generate import pagehtml

    many = "".join(f"## Section abababab {i}\n\n" for i in range(pagehtml.NEAR_ANCHORS + 10))
    few = "".join(f"## Section abababab {i}\n\n" for i in range(5))
    for body, said in ((many, False), (few, True)):
        pages = {"a/index.md": _ready("a/index.md", f"# A\n\n{body}[x](#section-abababab-1x)\n")}
        (error,) = check_links(pages, [], lambda page, text: (page, 1))[0]
        assert ("vouliez-vous dire" in error.message) is said, error.message


class _CountedAnchors(tuple):  # type: ignore[type-arg]
    """A page's anchors that count how often they are searched one by one."""

    searched = 0

    def __contains__(self, item: object) -> bool:
        _CountedAnchors.searched += 1
        return super().__contains__(item)


def test_a_page_with_thousands_of_sections_is_checked_in_linear_time() -> None:
    """20,000 headings « ## Titre » in a fiche action took 4.7 s of the build in the link
    check alone (each section's own permalink searched among every anchor of its page: a
    square). The anchors of a page are searched as a set, read once per page; control: the
    links are still checked (one to a missing section is reported)."""
    import dataclasses

    count = 2000
    text = "".join(f"## Titre {i}\n\n" for i in range(count)) + "[x](#nulle-part)\n"
    ready = _ready("a/index.md", text)
    assert sum(1 for link in ready.links if link.kind == "self") == count + 1
    counted = dataclasses.replace(ready, anchors=_CountedAnchors(ready.anchors))
    _CountedAnchors.searched = 0
    errors, _ = check_links({"a/index.md": counted}, [], lambda page, text: (page, 1))
    assert [p.message.split(" :")[0] for p in errors] == ["lien vers « #nulle-part »"]
    assert _CountedAnchors.searched == 0  # no search through the tuple, link after link


def test_a_page_with_thousands_of_broken_links_reports_the_first_ones_and_a_count() -> None:
    """Each reported link's line is looked for in the page's source (the files of a whole
    territory for a generated page): 20,000 broken links took a time that grows with their
    square. The first 20 are reported, then one line says how many more; absolute links stay
    notes (never an error). Control: with no bound, every link is located and reported."""
    from tisite.content import remote
    from tisite.generate import pagehtml

    text = "".join(f"[l{i}](../x{i}/index.md)\n\n" for i in range(50))
    text += "".join(f"[a{i}](\\abs{i})\n\n" for i in range(30))
    pages = {"a/index.md": _ready("a/index.md", text)}
    located: list[str] = []

    def locate(page: str, raw: str) -> tuple[str, int | None]:
        located.append(raw)
        return page, 1

    errors, notes = check_links(pages, [], locate)
    assert len(errors) == 21 and len(notes) == 21 and len(located) == 42
    assert errors[-1].message == remote.more_problems(30, "lien", "liens")
    assert notes[-1].message == remote.more_problems(10, "lien", "liens")
    assert all("lien absolu" in n.message for n in notes[:-1])

    old, pagehtml.MAX_REPORTED = pagehtml.MAX_REPORTED, 10**9
    try:
        errors, notes = check_links(pages, [], locate)
    finally:
        pagehtml.MAX_REPORTED = old
    assert len(errors) == 50 and len(notes) == 30
