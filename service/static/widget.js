/* Planwijzer chat widget.
 *
 *   <script src="https://…/widget.js" data-api="https://…" data-lang="nl"></script>
 *
 * Adds a chat button that opens a panel. Everything lives in a Shadow DOM, so the host
 * page's styles do not leak in and ours do not leak out. No framework, no external fonts
 * or CDNs: the stylesheet comes from the same server as this script.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var scriptUrl = new URL(script.src, document.baseURI);
  var API = (script.getAttribute("data-api") || scriptUrl.origin).replace(/\/$/, "");
  var ASSETS = scriptUrl.href.replace(/widget\.js(\?.*)?$/, "");

  var TEXT = {
    nl: {
      open: "Vraag het Planwijzer",
      title: "Planwijzer",
      subtitle: "Vragen over het beleidsplan van Leuven",
      close: "Sluiten",
      reset: "Nieuw gesprek",
      switchTo: "English",
      switchLabel: "Switch to English",
      placeholder: "Stel je vraag…",
      send: "Vraag",
      inputLabel: "Je vraag",
      welcome: "Stel een vraag over de plannen van de stad. Ik antwoord met de woorden van het plan en verwijs naar de acties.",
      starters: [
        "Komen er meer plaatsen in de kinderopvang?",
        "Wat doet de stad tegen eenzaamheid?",
        "Komt er een grotere fietsenstalling aan het station?",
        "Waarover gaat het plan?"
      ],
      startersLabel: "Voorbeeldvragen",
      thinking: "Even zoeken in het plan…",
      error: "Er ging iets mis. Probeer het later opnieuw.",
      notFound: "Niet in het plan",
      nothingMore: "Niets meer gevonden",
      openActieprogramma: "Toon actieprogramma",
      openProgramme: "Toon programma",
      sources: "Bronnen",
      openAction: "Bekijk de actie",
      programme: "Programma",
      actieprogramma: "Actieprogramma",
      helpful: "Nuttig",
      notHelpful: "Niet nuttig",
      thanks: "Bedankt voor je reactie.",
      you: "Jij",
      bot: "Planwijzer"
    },
    en: {
      open: "Ask Planwijzer",
      title: "Planwijzer",
      subtitle: "Questions about Leuven's policy plan",
      close: "Close",
      reset: "New conversation",
      switchTo: "Nederlands",
      switchLabel: "Schakel naar Nederlands",
      placeholder: "Ask your question…",
      send: "Ask",
      inputLabel: "Your question",
      welcome: "Ask about the city's plans. I answer in the plan's own words (in Dutch) and point to its actions.",
      starters: [
        "Will there be more childcare places?",
        "What does the city do about loneliness?",
        "Will there be more bike parking at the station?",
        "What is the plan about?"
      ],
      startersLabel: "Example questions",
      thinking: "Searching the plan…",
      error: "Something went wrong. Please try again later.",
      notFound: "Not in the plan",
      nothingMore: "Nothing more found",
      openActieprogramma: "Show action programme",
      openProgramme: "Show programme",
      sources: "Sources",
      openAction: "View the action",
      programme: "Programme",
      actieprogramma: "Action programme",
      helpful: "Helpful",
      notHelpful: "Not helpful",
      thanks: "Thank you for your feedback.",
      you: "You",
      bot: "Planwijzer"
    }
  };

  var lang = script.getAttribute("data-lang") === "en" ? "en" : "nl";
  var history = [];
  var busy = false;
  // What /v1/ask accepts as history; a longer conversation sends its newest turns only.
  var MAX_HISTORY_TURNS = 20;
  var MAX_HISTORY_CHARS = 20000;
  // An earlier answer is sent back for its citation markers ("die actie", "meer daarover"),
  // not for its quotes: a long one is shortened, keeping every marker.
  var MAX_REMEMBERED_ANSWER = 1500;

  var host = document.createElement("div");
  host.id = "planwijzer-widget";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else if (name === "className") node.className = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var stylesheet = el("link", { rel: "stylesheet", href: ASSETS + "widget.css" });
  var launcher = el("button", { type: "button", className: "launcher", "aria-expanded": "false", "aria-controls": "pw-panel" });
  var panel = el("section", { id: "pw-panel", className: "panel", role: "dialog", "aria-modal": "false", hidden: "" });
  root.appendChild(stylesheet);
  root.appendChild(launcher);
  root.appendChild(panel);

  var heading = el("h2", { id: "pw-title" });
  var subtitle = el("p", { className: "subtitle" });
  var langButton = el("button", { type: "button", className: "ghost", "data-role": "language" });
  var resetButton = el("button", { type: "button", className: "ghost", "data-role": "reset" });
  var closeButton = el("button", { type: "button", className: "ghost close", "data-role": "close" });
  var header = el("header", {}, [
    el("div", { className: "titles" }, [heading, subtitle]),
    el("div", { className: "tools" }, [langButton, resetButton, closeButton])
  ]);
  var log = el("div", { className: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
  var starters = el("div", { className: "starters", role: "group" });
  var input = el("textarea", { id: "pw-input", rows: "2", maxlength: "1000" });
  var inputLabel = el("label", { for: "pw-input", className: "visually-hidden" });
  var sendButton = el("button", { type: "submit", className: "send" });
  var form = el("form", { className: "ask" }, [inputLabel, input, sendButton]);
  panel.setAttribute("aria-labelledby", "pw-title");
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(starters);
  panel.appendChild(form);

  function t(key) { return TEXT[lang][key]; }

  function renderChrome() {
    launcher.textContent = t("open");
    heading.textContent = t("title");
    subtitle.textContent = t("subtitle");
    langButton.textContent = t("switchTo");
    langButton.setAttribute("aria-label", t("switchLabel"));
    langButton.setAttribute("lang", lang === "nl" ? "en" : "nl");
    resetButton.textContent = t("reset");
    closeButton.textContent = "×";
    closeButton.setAttribute("aria-label", t("close"));
    input.setAttribute("placeholder", t("placeholder"));
    inputLabel.textContent = t("inputLabel");
    sendButton.textContent = t("send");
    starters.setAttribute("aria-label", t("startersLabel"));
    panel.setAttribute("lang", lang);
    starters.textContent = "";
    if (history.length === 0) {
      t("starters").forEach(function (question) {
        var button = el("button", { type: "button", className: "starter", text: question });
        button.addEventListener("click", function () { ask(question); });
        starters.appendChild(button);
      });
    }
  }

  function resetConversation() {
    history = [];
    log.textContent = "";
    log.appendChild(el("p", { className: "welcome", text: t("welcome") }));
    renderChrome();
  }

  function openPanel() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) openPanel(); else closePanel(); });
  closeButton.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") closePanel(); });
  resetButton.addEventListener("click", function () { resetConversation(); input.focus(); });
  langButton.addEventListener("click", function () {
    lang = lang === "nl" ? "en" : "nl";
    renderChrome();
    if (history.length === 0) resetConversation();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); ask(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); ask(input.value); }
  });

  /* A small, safe Markdown subset: the answer's bold headings, list items and paragraphs.
     Text is inserted as text nodes, never as HTML. Markers such as [5.95] become buttons. */
  function renderAnswer(container, markdown, citations, language) {
    container.textContent = "";
    var byLabel = {};
    citations.forEach(function (citation) { byLabel[citation.label] = citation; });
    var list = null;
    markdown.split("\n").forEach(function (line) {
      if (line.trim() === "") { list = null; return; }
      var item = /^- (.*)$/.exec(line);
      var target;
      if (item) {
        if (!list) { list = el("ul"); container.appendChild(list); }
        target = el("li");
        list.appendChild(target);
        line = item[1];
        // A programme's overview lists its actieprogramma's: "5.5 Specifiek beleid … (107 acties)";
        // the plan's overview its programmes: "5. Inclusieve en zorgzame stad (201 acties)".
        var listed = /^(\d{1,2}\.\d{1,2}) (.*)$/.exec(line);
        var programme = /^(\d{1,2})\. (.*)$/.exec(line);
        if (listed) {
          target.appendChild(lookUpButton(listed[1], "openActieprogramma", "actieprogramma ", language));
          line = " " + listed[2];
        } else if (programme) {
          target.appendChild(lookUpButton(programme[1], "openProgramme", "programma ", language));
          line = " " + programme[2];
        }
      } else {
        list = null;
        target = el("p");
        container.appendChild(target);
      }
      inline(target, line, byLabel);
    });
  }

  // The look-up is answered in the language of the answer the button sits in.
  function lookUpButton(number, label, question, language) {
    var button = el("button", { type: "button", className: "starter", text: number });
    button.setAttribute("aria-label", t(label) + " " + number);
    button.addEventListener("click", function () { ask(question + number, language); });
    return button;
  }

  function inline(target, text, byLabel) {
    var pattern = /\*\*([^*]+)\*\*|\[([^\[\]]+)\]/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) target.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) {
        target.appendChild(el("strong", { text: match[1] }));
      } else if (byLabel[match[2]]) {
        target.appendChild(chip(byLabel[match[2]]));
      } else {
        target.appendChild(document.createTextNode(match[0]));
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) target.appendChild(document.createTextNode(text.slice(last)));
  }

  var chipCount = 0;
  function chip(citation) {
    chipCount += 1;
    var detailId = "pw-cite-" + chipCount;
    var button = el("button", {
      type: "button", className: "chip", "aria-expanded": "false", "aria-controls": detailId,
      "data-label": citation.label, text: shortLabel(citation)
    });
    var detail = el("span", { id: detailId, className: "citation", hidden: "" });
    detail.appendChild(el("q", { text: citation.quote }));
    if (citation.programme) {
      detail.appendChild(el("span", { className: "path", text: t("programme") + " " + citation.programme + ": " + citation.programme_title }));
    }
    if (citation.actieprogramma) {
      detail.appendChild(el("span", { className: "path", text: t("actieprogramma") + " " + citation.actieprogramma + ": " + citation.actieprogramma_title }));
    }
    detail.appendChild(el("span", { className: "path", text: citation.citation }));
    if (citation.action) {
      detail.appendChild(el("a", { href: API + "/actie/" + citation.label, target: "_blank", rel: "noopener", text: t("openAction") + " " + citation.label }));
    }
    button.addEventListener("click", function () {
      var open = detail.hidden;
      detail.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    var wrapper = el("span", { className: "chip-wrap" }, [button, detail]);
    return wrapper;
  }

  function shortLabel(citation) {
    if (citation.action) return citation.label;
    var parts = citation.label.split(" › ");
    return parts[parts.length - 2] + " " + parts[parts.length - 1].replace(/^punt /, "");
  }

  function feedbackBar(question, response) {
    var bar = el("div", { className: "feedback" });
    var up = el("button", { type: "button", className: "ghost", text: t("helpful") });
    var down = el("button", { type: "button", className: "ghost", text: t("notHelpful") });
    function send(rating) {
      up.disabled = true;
      down.disabled = true;
      fetch(API + "/v1/feedback", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          question: question,
          status: response.status,
          cited: response.citations.map(function (c) { return c.id; }),
          rating: rating
        })
      }).then(function () {
        bar.appendChild(el("span", { className: "thanks", role: "status", text: t("thanks") }));
      });
    }
    up.addEventListener("click", function () { send("up"); });
    down.addEventListener("click", function () { send("down"); });
    bar.appendChild(up);
    bar.appendChild(down);
    return bar;
  }

  function addMessage(role, text) {
    var body = el("div", { className: "body" });
    var message = el("article", { className: "message " + role }, [
      el("span", { className: "visually-hidden", text: role === "user" ? t("you") + ":" : t("bot") + ":" }),
      body
    ]);
    if (text) body.textContent = text;
    log.appendChild(message);
    log.scrollTop = log.scrollHeight;
    return { message: message, body: body };
  }

  function ask(question, language) {
    question = (question || "").trim();
    if (!question || busy) return;
    busy = true;
    sendButton.disabled = true;
    starters.textContent = "";
    input.value = "";
    addMessage("user", question);
    var reply = addMessage("assistant", t("thinking"));
    reply.message.setAttribute("aria-busy", "true");
    var streamed = "";
    var citations = [];
    var requestHistory = recentHistory();

    stream(
      // The answer follows the language of the question, whichever language the panel is in.
      { question: question, history: requestHistory, language: language || "auto" },
      function (event, data) {
        if (event === "citations") {
          citations = data;
        } else if (event === "delta") {
          streamed += data.text;
          reply.body.textContent = streamed;
        } else if (event === "done") {
          finish(question, reply, data);
        } else if (event === "error") {
          fail(reply, data.message);
        }
      }
    ).catch(function () { fail(reply, t("error")); }).then(function () {
      busy = false;
      sendButton.disabled = false;
      reply.message.removeAttribute("aria-busy");
      input.focus();
    });
  }

  // Small talk ("hallo", "bedankt") and a question without a topic ("wat doet de stad?", answered
  // with the programmes) cite nothing, but the plan is not silent on anything asked.
  var SMALL_TALK = { greeting: true, thanks: true, acknowledgement: true, no_topic: true };

  function finish(question, reply, response) {
    var notFound = response.status === "not_found" && !SMALL_TALK[response.not_found_reason];
    reply.message.classList.toggle("not-found", notFound);
    reply.body.textContent = "";
    if (notFound) {
      // "meer daarover" that finds nothing new is not a topic the plan lacks.
      var badge = response.not_found_reason === "nothing_more" ? t("nothingMore") : t("notFound");
      reply.body.appendChild(el("strong", { className: "badge", text: badge }));
    }
    var content = el("div", { className: "answer" });
    renderAnswer(content, response.answer, response.citations, response.language);
    reply.body.appendChild(content);
    reply.message.appendChild(feedbackBar(question, response));
    history.push({ role: "user", content: question });
    history.push({ role: "assistant", content: remembered(response) });
    log.scrollTop = log.scrollHeight;
  }

  function remembered(response) {
    var answer = response.answer;
    if (answer.length <= MAX_REMEMBERED_ANSWER) return answer;
    var markers = (response.citations || []).map(function (c) { return "[" + c.label + "]"; }).join(" ");
    return (answer.slice(0, Math.max(0, MAX_REMEMBERED_ANSWER - markers.length - 2)) + "… " + markers)
      .slice(0, MAX_REMEMBERED_ANSWER);
  }

  function recentHistory() {
    var turns = [];
    var chars = 0;
    for (var i = history.length - 1; i >= 0 && turns.length < MAX_HISTORY_TURNS; i--) {
      chars += history[i].content.length;
      if (chars > MAX_HISTORY_CHARS) break;
      turns.unshift(history[i]);
    }
    // A conversation sent back starts with a question, not with an answer to a dropped one.
    if (turns.length && turns[0].role === "assistant") turns.shift();
    return turns;
  }

  function fail(reply, message) {
    reply.message.classList.add("error");
    reply.body.textContent = message || t("error");
  }

  /* POST + Server-Sent Events: EventSource only does GET, so the stream is read by hand. */
  function stream(body, onEvent) {
    return fetch(API + "/v1/ask/stream", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (error) { onEvent("error", error); });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          var blocks = buffer.split("\n\n");
          buffer = blocks.pop();
          blocks.forEach(function (block) {
            var event = "message";
            var data = "";
            block.split("\n").forEach(function (line) {
              if (line.indexOf("event: ") === 0) event = line.slice(7);
              else if (line.indexOf("data: ") === 0) data += line.slice(6);
            });
            if (data) onEvent(event, JSON.parse(data));
          });
          return pump();
        });
      }
      return pump();
    });
  }

  resetConversation();
})();
