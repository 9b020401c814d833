"""Normalization through the Python API: the shared case table, the API's shape and errors."""

from __future__ import annotations

import pickle
import threading
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import pytest

import arclean
from arclean import ConfigError, DecodeError, Normalizer

from conftest import DATA

CASES = tomllib.loads((DATA / "normalize.toml").read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_table(case):
    n = Normalizer(case.get("preset", "safe"), **case.get("switches", {}))
    assert n.normalize(case["input"]) == case["expected"]
    aligned = n.normalize_aligned(case["input"])
    assert aligned.text == case["expected"]
    assert aligned.source == case["input"]
    if "spans" in case:
        assert aligned.spans() == [tuple(s) for s in case["spans"]]


def test_module_function_matches_class():
    text = "أَهْلاً بِكُمْ فی العــراق"
    assert arclean.normalize(text, preset="search") == Normalizer("search").normalize(text)
    assert arclean.normalize(text, preset="search", fold_alef=False) == Normalizer("search", fold_alef=False).normalize(text)


def test_switches_start_from_the_preset():
    safe = Normalizer("safe").switches
    search = Normalizer("search").switches
    assert set(safe) == set(arclean.SWITCHES) == set(search)
    assert not safe["strip_diacritics"] and search["strip_diacritics"]
    assert all(search[k] for k, v in safe.items() if v), "search is safe plus more"
    assert not Normalizer("search", fold_alef=False).switches["fold_alef"]


def test_batch_keeps_order_and_matches_single_calls():
    texts = [f"النص رقم {i} فیه تطويـــل" * (i % 7 + 1) for i in range(500)]
    n = Normalizer("search")
    expected = [n.normalize(t) for t in texts]
    assert n.normalize_batch(texts) == expected
    assert n.normalize_batch(texts, parallel=False) == expected
    assert arclean.normalize_batch(texts, preset="search") == expected
    assert n.normalize_batch(iter(texts[:3])) == expected[:3]


def test_threads_share_one_normalizer():
    n = Normalizer("search")
    text = "كتابــة عربیة " * 2000
    want = n.normalize(text)
    results = []

    def work():
        results.append(n.normalize(text))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [want] * 4


def test_pickles_with_its_switches():
    n = Normalizer("search", fold_hamza=True, collapse_elongation=False)
    m = pickle.loads(pickle.dumps(n))
    assert m.switches == n.switches
    assert m.normalize("سؤال مرحباااا") == "سوال مرحباااا"


def test_alignment_maps_both_ways():
    a = Normalizer("safe", strip_tatweel=True).normalize_aligned("  العــربية  ﻻ")
    assert a.text == "العربية لا"
    assert len(a) == len(a.text)
    assert a.to_input(0, 7) == (2, 11)  # the word, tatweel included
    assert a.to_output(2, 11) == (0, 7)
    assert a.to_output(0, 2) == (0, 0)  # leading spaces were removed
    lam, alef = a.spans()[-2:]
    assert lam == alef == (13, 14)


@pytest.mark.parametrize("preset", ["fast", "", "SAFE"])
def test_unknown_preset(preset):
    with pytest.raises(ConfigError, match="preset must be one of 'safe', 'search', 'none'"):
        Normalizer(preset)


def test_unknown_switch_lists_the_known_ones():
    with pytest.raises(ConfigError, match="strip_tatweel"):
        arclean.normalize("x", strip_everything=True)


def test_switch_values_must_be_bool():
    with pytest.raises(ConfigError, match="must be True or False"):
        Normalizer("safe", strip_tatweel="yes")
    with pytest.raises(ValueError):  # ConfigError is a ValueError too
        arclean.normalize("x", strip_tatweel=[1])


def test_lone_surrogate_is_a_clear_error():
    with pytest.raises(DecodeError, match="not valid unicode"):
        arclean.normalize("abc\ud800")
    # two surrogates that would pair in UTF-16 are still two lone ones in a str
    for text in ("ع\ud83d\ude00", "\U0001F600\ud83d\ude00", "é\ud800"):
        with pytest.raises(DecodeError, match="lone surrogate"):
            arclean.normalize(text)
        with pytest.raises(DecodeError, match=r"texts\[1\]"):
            Normalizer().normalize_batch(["ok", text])
    with pytest.raises(DecodeError, match=r"texts\[1\]"):
        Normalizer().normalize_batch(["ok", "\udfff"])


def test_batch_rejects_non_strings():
    with pytest.raises(TypeError, match=r"texts\[0\] must be str"):
        Normalizer().normalize_batch([b"bytes"])


def test_large_text_round_trip():
    text = ("سطر عربي طويل فیه تطويـــل\n" * 200_000)
    assert arclean.normalize(text) == "سطر عربي طويل فيه تطويـــل\n" * 200_000
    assert arclean.normalize(text, "search") == "سطر عربي طويل فيه تطويل\n" * 200_000


def test_unchanged_text_comes_back_as_the_same_object_and_bytes_give_bytes():
    n = arclean.Normalizer("safe")
    plain = "قال الوزير إن الخطة ستبدأ."
    assert n.normalize(plain) is plain
    changed = "العربیة"  # a Persian yeh
    assert n.normalize(changed) == "العربية" and n.normalize(changed) is not changed
    assert n.normalize(changed.encode("utf-8")) == "العربية".encode("utf-8")
    assert n.normalize("\ufeffنص".encode("utf-8")) == "نص".encode("utf-8")  # byte-order mark read
    with pytest.raises(arclean.DecodeError):
        n.normalize(b"\xff\xfe\x00")
    with pytest.raises(TypeError, match="str or bytes"):
        n.normalize(5)


def test_module_function_keeps_the_method_contract_for_every_preset_and_switch_set():
    text = "أَهْلاً بِكُمْ فی العــراق ٣"
    for preset in arclean.PRESETS:
        assert arclean.normalize(text, preset) == Normalizer(preset).normalize(text)
        assert arclean.normalize(text.encode("utf-8"), preset) == Normalizer(preset).normalize(text.encode("utf-8"))
    plain = "قال الوزير إن الخطة ستبدأ."
    assert arclean.normalize(plain) is plain
    # more switch sets than the module keeps built: each still folds by its own switches
    names = arclean.SWITCHES
    for i in range(80):
        switches = {names[i % len(names)]: bool(i % 2), names[(i * 7) % len(names)]: not (i % 3)}
        assert arclean.normalize(text, "search", **switches) == Normalizer("search", **switches).normalize(text)
    with pytest.raises(ConfigError, match="preset must be one of"):
        arclean.normalize(text, "fast")
    with pytest.raises(TypeError):
        arclean.normalize(5)
