"""The widget and the staff pages in a real browser: Debian's Chromium, headless, driven by
Playwright against the real service on a free loopback port.

Skipped, with the reason, when Chromium is not installed (`make test` installs it where it
can). Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import running_service

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
FEEDBACK_TOKEN = "test-export-token"
WIDGET = "#planwijzer-widget"

if CHROMIUM is None:
    pytest.skip(
        "Chromium is not installed (apt-get install chromium chromium-driver, as root); "
        "`make test` installs it when it runs as root",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    scratch = tmp_path_factory.mktemp("browser")
    with running_service(scratch, PLANWIJZER_FEEDBACK_TOKEN=FEEDBACK_TOKEN) as service:
        yield service.url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, base_url: str) -> Iterator[object]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1100, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def open_widget(page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Vraag het Planwijzer").click()


def ask(page, question: str) -> object:
    page.get_by_role("textbox", name="Je vraag").fill(question)
    page.get_by_role("button", name="Vraag", exact=True).click()
    answer = page.locator(f"{WIDGET} >> .message.assistant").last
    answer.locator(".feedback").wait_for(timeout=15_000)  # present once the stream is done
    return answer


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_a_question_gets_a_streamed_answer_with_citation_chips(page) -> None:
    open_widget(page)
    answer = ask(page, "Komt er een grotere fietsenstalling aan het station?")
    chips = answer.locator(".chip")
    assert chips.count() >= 1
    assert "3.62" in [chips.nth(i).inner_text() for i in range(chips.count())]
    assert "fietsparking aan het station" in answer.inner_text()
    screenshot(page, "widget-answer.png")


def test_a_chip_opens_to_its_quote_path_and_action_page(page) -> None:
    open_widget(page)
    answer = ask(page, "Komt er een grotere fietsenstalling aan het station?")
    chip = answer.locator(".chip", has_text="3.62").first
    detail = answer.locator(f"#{chip.get_attribute('aria-controls')}")
    assert detail.is_hidden()
    chip.click()
    assert detail.is_visible() and chip.get_attribute("aria-expanded") == "true"
    text = detail.inner_text()
    assert "De fietsparking aan het station wordt in samenwerking met de NMBS uitgebreid" in text
    assert "Programma 3: Bereikbare, toegankelijke en verkeersveilige stad" in text
    assert "Actieprogramma 3.3" in text
    assert detail.get_by_role("link").get_attribute("href").endswith("/actie/3.62")
    screenshot(page, "widget-citation.png")


def test_an_out_of_scope_question_shows_the_not_found_state(page) -> None:
    open_widget(page)
    answer = ask(page, "Who won the Champions League final?")
    assert "not-found" in answer.get_attribute("class")
    assert answer.locator(".badge").inner_text() == "Niet in het plan"
    assert "Professor Van Overstraetenplein 1" in answer.inner_text()
    assert answer.locator(".chip").count() == 0
    screenshot(page, "widget-not-found.png")


def test_a_follow_up_sends_the_history(page) -> None:
    open_widget(page)
    ask(page, "Komen er meer plaatsen in de kinderopvang?")
    with page.expect_request("**/v1/ask/stream") as request:
        ask(page, "en voor zieke kinderen?")
    body = request.value.post_data_json
    assert [turn["role"] for turn in body["history"]] == ["user", "assistant"]
    assert body["history"][0]["content"] == "Komen er meer plaatsen in de kinderopvang?"


def chip_labels(answer) -> list[str]:
    chips = answer.locator(".chip")
    return [chips.nth(i).inner_text() for i in range(chips.count())]


def test_more_brings_new_actions_and_a_long_conversation_stays_within_the_limits(page) -> None:
    open_widget(page)
    first = chip_labels(ask(page, "Komen er meer plaatsen in de kinderopvang?"))
    more = chip_labels(ask(page, "meer daarover"))
    assert more and not set(more) & set(first)
    for _ in range(6):  # an actieprogramma's answer runs to thousands of characters
        with page.expect_request("**/v1/ask/stream") as request:
            answer = ask(page, "actieprogramma 5.5")
        assert "error" not in answer.get_attribute("class") and "5.116" in chip_labels(answer)
    history = request.value.post_data_json["history"]
    assert len(history) <= 20 and sum(len(turn["content"]) for turn in history) <= 20_000
    assert history[0]["role"] == "user" and "[5.116]" in history[-1]["content"]


def test_nothing_more_is_not_called_not_in_the_plan(page) -> None:
    # The service's answer when a conversation has cited all there is, as the stream sends it.
    done = {
        "status": "not_found",
        "not_found_reason": "nothing_more",
        "answer": "Meer vind ik daarover niet in het plan van de stad.",
        "language": "nl",
        "query": "Komen er meer plaatsen in de kinderopvang?",
        "citations": [],
        "composer": "extractive",
        "fallback_reason": None,
        "timings_ms": {},
    }
    stream = f"event: citations\ndata: []\n\nevent: done\ndata: {json.dumps(done)}\n\n"
    page.route("**/v1/ask/stream", lambda route: route.fulfill(content_type="text/event-stream", body=stream))
    open_widget(page)
    answer = ask(page, "meer daarover")
    assert "not-found" in answer.get_attribute("class")
    assert answer.locator(".badge").inner_text() == "Niets meer gevonden"


def test_new_conversation_and_the_english_switch(page) -> None:
    open_widget(page)
    ask(page, "Komen er meer plaatsen in de kinderopvang?")
    page.get_by_role("button", name="Nieuw gesprek").click()
    assert page.locator(f"{WIDGET} >> .message").count() == 0
    page.get_by_role("button", name="Switch to English").click()
    assert page.get_by_role("button", name="Ask", exact=True).is_visible()
    answer = ask_english(page, "Will there be more childcare places?")
    assert "only available in Dutch" in answer.inner_text()


def test_answers_follow_the_language_of_the_question(page) -> None:
    open_widget(page)  # the panel in Dutch
    english = ask(page, "Will there be more childcare places?")
    assert "only available in Dutch" in english.inner_text()
    dutch = ask(page, "kan je dat in het Nederlands zeggen?")
    assert "Dit staat er in het plan over uw vraag" in dutch.inner_text()
    assert chip_labels(dutch) == chip_labels(english)


def test_the_plans_programmes_and_a_programmes_actieprogrammas_open_with_a_click(page) -> None:
    open_widget(page)
    page.get_by_role("button", name="Waarover gaat het plan?").click()  # a starter question
    starter = page.locator(f"{WIDGET} >> .message.assistant").last
    starter.locator(".feedback").wait_for(timeout=15_000)
    assert "Het plan van de stad heeft 10 programma's" in starter.inner_text()
    page.get_by_role("button", name="Nieuw gesprek").click()
    plan = ask(page, "What is the plan about?")
    assert "The city's plan has 10 programmes" in plan.inner_text()
    plan.get_by_role("button", name="Toon programma 5").click()
    overview = page.locator(f"{WIDGET} >> .message.assistant").nth(1)
    overview.locator(".feedback").wait_for(timeout=15_000)
    # A look-up from an English answer is answered in English.
    assert "The action programmes of programme 5" in overview.inner_text()
    overview.get_by_role("button", name="Toon actieprogramma 5.5").click()
    answer = page.locator(f"{WIDGET} >> .message.assistant").nth(2)
    answer.locator(".feedback").wait_for(timeout=15_000)
    assert "5.95" in chip_labels(answer)


def test_a_greeting_is_answered_not_badged_as_missing_from_the_plan(page) -> None:
    open_widget(page)
    answer = ask(page, "Hallo!")
    assert "not-found" not in answer.get_attribute("class") and answer.locator(".badge").count() == 0
    assert "Ik beantwoord vragen over het beleidsplan" in answer.inner_text()
    okay = ask(page, "ok")
    assert "not-found" not in okay.get_attribute("class") and okay.locator(".badge").count() == 0


def test_a_question_without_a_topic_offers_the_programmes_as_buttons(page) -> None:
    open_widget(page)
    answer = ask(page, "Wat doet de stad?")
    assert "not-found" not in answer.get_attribute("class") and answer.locator(".badge").count() == 0
    assert "Waarover wilt u iets weten?" in answer.inner_text()
    answer.get_by_role("button", name="Toon programma 5").click()
    overview = page.locator(f"{WIDGET} >> .message.assistant").nth(1)
    overview.locator(".feedback").wait_for(timeout=15_000)
    assert "De actieprogramma's van programma 5" in overview.inner_text()


def ask_english(page, question: str) -> object:
    page.get_by_role("textbox", name="Your question").fill(question)
    page.keyboard.press("Enter")
    answer = page.locator(f"{WIDGET} >> .message.assistant").last
    answer.locator(".feedback").wait_for(timeout=15_000)
    return answer


def test_keyboard_only(page) -> None:
    page.goto("/")
    launcher = page.get_by_role("button", name="Vraag het Planwijzer")
    for _ in range(30):
        page.keyboard.press("Tab")
        if launcher.evaluate("node => node.getRootNode().activeElement === node"):
            break
    else:
        pytest.fail("Tab never reached the chat button")
    page.keyboard.press("Enter")
    textbox = page.get_by_role("textbox", name="Je vraag")
    assert textbox.evaluate("node => node.getRootNode().activeElement === node")  # focus moved into the panel
    page.keyboard.type("Komen er meer plaatsen in de kinderopvang?")
    page.keyboard.press("Enter")
    answer = page.locator(f"{WIDGET} >> .message.assistant").last
    answer.locator(".feedback").wait_for(timeout=15_000)
    assert answer.locator(".chip").count() >= 1
    assert page.locator(f"{WIDGET} >> [aria-live=polite]").count() == 1
    page.keyboard.press("Escape")
    assert launcher.evaluate("node => node.getRootNode().activeElement === node")


def test_the_widget_fits_a_360_pixel_screen(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740})
    small = context.new_page()
    open_widget(small)
    box = small.locator(f"{WIDGET} >> .panel").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    answer = ask(small, "Komen er meer plaatsen in de kinderopvang?")
    assert answer.bounding_box()["width"] <= 360
    screenshot(small, "widget-360px.png")
    context.close()


def test_thumbs_are_stored_for_the_city(page, base_url: str) -> None:
    open_widget(page)
    answer = ask(page, "Wat doet de stad tegen eenzaamheid?")
    answer.get_by_role("button", name="Niet nuttig").click()
    answer.get_by_role("status").wait_for()
    export = httpx.get(f"{base_url}/v1/feedback/export", headers={"Authorization": f"Bearer {FEEDBACK_TOKEN}"})
    assert export.status_code == 200
    assert "Wat doet de stad tegen eenzaamheid?" in export.text and ",down," in export.text


def test_staff_search_filters_copies_and_opens_an_action(page) -> None:
    page.goto("/staff")
    page.get_by_label("Zoeken").fill("fietsenstalling station")
    results = page.locator("#results .result")
    results.first.wait_for()
    assert "Actie 3.62" in page.locator("#results").inner_text()
    page.get_by_label("Programma", exact=True).select_option("3")
    # The unfiltered list may already be all programme 3: wait until the filtered one is shown.
    page.locator('#results[aria-busy="false"]').wait_for()
    paths = page.locator("#results .path").all_inner_texts()
    assert paths and all(path.startswith("Programma 3:") for path in paths)
    first = results.first
    first.get_by_role("button", name="Kopieer citaat").click()
    first.get_by_text("Gekopieerd.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Bestuursnota 2019-2024, programma 3, actie ")
    screenshot(page, "staff-search.png")
    link = first.get_by_role("link")
    label = link.inner_text().removeprefix("Actie ")
    link.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Actie {label}"


def test_staff_typing_an_action_number_opens_it(page) -> None:
    page.goto("/staff")
    page.get_by_label("Zoeken").fill("actie 5.95")
    page.locator("#results .result").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**/actie/5.95")
    assert "adviesraad kinderopvang" in page.locator("#action-text").inner_text()


def test_an_action_page_links_its_neighbours_and_programme(page) -> None:
    page.goto("/actie/5.95")
    assert page.get_by_role("link", name="← Actie 5.94").is_visible()
    page.get_by_role("link", name="Actie 5.96 →").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Actie 5.96"
    page.get_by_role("link", name="Programma 5: Inclusieve en zorgzame stad").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Programma 5:")
    screenshot(page, "programme-page.png")
