"""Site templates: profiles learnt from a site's pages, merged from shards, saved and loaded;
with a profile a site's template goes and its articles stay; a sentence quoted in two articles
is not template."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import arclean
from arclean.cli import main
from sites import site

SITES = [site(seed, 8) for seed in (11, 12, 13)]


def learnt(groups, fmt="text") -> arclean.Profile:
    p = arclean.Profile()
    for g in groups:
        p.add_pages([getattr(x, fmt) for x in g], fmt, sites=[g[0].host] * len(g))
    return p


def kept(doc, lines) -> list[str]:
    body = doc.text
    return [l for l in lines if l in body]


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_with_the_profile_the_template_goes_and_the_articles_stay(fmt):
    profile = learnt(SITES, fmt)
    plain, profiled = arclean.Cleaner(), arclean.Cleaner(profile=profile)
    before = after = total = 0
    for g in SITES:
        for page in g:
            src = getattr(page, fmt)
            doc = profiled.clean(src, fmt, site=page.host)
            assert kept(doc, page.article) == page.article, "no article paragraph lost"
            before += len(kept(plain.clean(src, fmt), page.template))
            after += len(kept(doc, page.template))
            total += len(page.template)
    assert after <= 0.05 * total, (before, after, total)
    assert after < before
    reasons = {r.reason for r in profiled.clean(getattr(SITES[0][0], fmt), fmt, site=SITES[0][0].host).removed}
    assert "site_template" in reasons


def test_the_html_page_names_its_own_site():
    profile = learnt(SITES[:2], "html")
    page = SITES[1][3]
    doc = arclean.Cleaner(profile=profile).clean(page.html, "html")  # canonical link: site12...
    assert page.template[0] not in doc.text and kept(doc, page.article) == page.article


def test_a_sentence_quoted_in_two_articles_is_not_template():
    pages = site(21, 20)
    quote = ("وقال المدير في كلمته إن المدينة تحتاج إلى صبر أبنائها أكثر من أي وقت مضى، وإن العمل "
             "المشترك هو الطريق الوحيد لتجاوز الأزمة الحالية.")
    texts = []
    for k, p in enumerate(pages):
        text = p.text
        if k in (3, 9):  # two articles quote the same sentence, as a paragraph of their own
            text = text.replace(p.article[0], p.article[0] + "\n" + quote)
        texts.append(text)
    profile = arclean.Profile()
    profile.add_pages(texts, "text", sites=[pages[0].host] * len(texts))
    cleaner = arclean.Cleaner(profile=profile)
    for k in (3, 9):
        doc = cleaner.clean(texts[k], "text", site=pages[k].host)
        assert quote in doc.text
        assert kept(doc, pages[k].article) == pages[k].article


def test_too_few_pages_give_no_template():
    few = site(31, 3)
    profile = arclean.Profile()
    profile.add_pages([p.text for p in few], "text", sites=[few[0].host] * 3)
    assert profile.template_blocks(few[0].host) == 0
    doc = arclean.Cleaner(profile=profile).clean(few[0].text, "text", site=few[0].host)
    assert arclean.clean(few[0].text, format="text").text == doc.text


def test_shards_merge_into_the_whole_and_files_round_trip(tmp_path):
    pages = [p for g in SITES for p in g]
    whole = arclean.Profile()
    whole.add_pages([p.text for p in pages], "text", sites=[p.host for p in pages])
    a, b = arclean.Profile(), arclean.Profile()
    a.add_pages([p.text for p in pages[:10]], "text", sites=[p.host for p in pages[:10]])
    b.add_pages([p.text for p in pages[10:]], "text", sites=[p.host for p in pages[10:]])
    a.merge(b)
    assert a == whole and a.to_bytes() == whole.to_bytes()
    path = tmp_path / "site.profile"
    whole.save(path)
    assert arclean.Profile.load(path) == whole == arclean.Profile.load(path.read_bytes())
    assert pickle.loads(pickle.dumps(whole)) == whole
    cleaner = arclean.Cleaner(profile=path)
    again = pickle.loads(pickle.dumps(cleaner))
    page = SITES[0][0]
    assert again.clean(page.text, "text", site=page.host).text == cleaner.clean(page.text, "text", site=page.host).text
    assert "profile=<3 sites>" in repr(cleaner)
    with pytest.raises(arclean.ConfigError, match="other settings"):
        arclean.Profile(min_share=0.5).merge(whole)


def test_broken_profiles_are_refused(tmp_path):
    data = learnt(SITES[:1]).to_bytes()
    for bad in (b"", b"not a profile", data[:-3], data[:16] + b"\x09\x00\x00\x00" + data[20:]):
        with pytest.raises(arclean.ConfigError):
            arclean.Profile.load(bad)
    with pytest.raises(arclean.ConfigError, match="cannot read"):
        arclean.Cleaner(profile=tmp_path / "missing.profile")
    with pytest.raises(arclean.ConfigError):
        arclean.Profile(min_share=1.5)


def write_site(root: Path, g) -> Path:
    folder = root / g[0].host
    folder.mkdir(parents=True)
    for k, p in enumerate(g):
        (folder / f"{k}.txt").write_text(p.text, encoding="utf-8")
    return folder


def test_learn_and_clean_from_the_command_line(tmp_path):
    src = tmp_path / "in"
    for g in SITES:
        write_site(src, g)
    shards = [tmp_path / "a.profile", tmp_path / "b.profile"]
    assert main(["learn", "-q", str(src / SITES[0][0].host), "-o", str(shards[0])]) == 0
    assert main(["learn", "-q", str(src / SITES[1][0].host), str(src / SITES[2][0].host), "-o", str(shards[1])]) == 0
    merged = tmp_path / "ab.profile"
    assert main(["learn", "-q", "--merge", str(shards[0]), "--merge", str(shards[1]), "-o", str(merged)]) == 0
    whole = tmp_path / "whole.profile"
    assert main(["learn", "-q", str(src / SITES[0][0].host), str(src / SITES[1][0].host),
                 str(src / SITES[2][0].host), "-o", str(whole)]) == 0
    assert merged.read_bytes() == whole.read_bytes()
    learnt_ = arclean.Profile.load(whole)
    assert all(learnt_.template_blocks(s) >= 10 for s in learnt_.sites), "the pages were read, not their names"
    # a page's site is its folder here: the profile and the run name it alike
    leaked = {}
    for how in ([], ["--profile", str(whole)], ["--learn"]):
        out = tmp_path / ("out" + "".join(how[:1]))
        assert main(["clean", "-q", str(src), "-o", str(out), *how]) == 0
        leaked[tuple(how[:1])] = 0
        for g in SITES:
            for k, p in enumerate(g):
                body = (out / p.host / f"{k}.txt").read_text(encoding="utf-8")
                assert all(a in body for a in p.article)
                leaked[tuple(how[:1])] += sum(t in body for t in p.template)
    total = sum(len(p.template) for g in SITES for p in g)
    assert leaked[("--profile",)] == leaked[("--learn",)] <= 0.05 * total < leaked[()], leaked
    assert main(["clean", "-q", "--learn", "-"]) == 2  # stdin cannot be read twice
