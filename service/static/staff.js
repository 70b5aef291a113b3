/* The staff look-up page (instant search, filters, copy citation) and the copy button on
   action pages. No framework; text goes into the page as text, never as HTML. */
(function () {
  "use strict";

  function copyButtons(scope) {
    scope.querySelectorAll("button.copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var note = button.parentElement.querySelector(".copied");
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          if (note) note.textContent = "Gekopieerd.";
        }, function () {
          if (note) note.textContent = "Kopiëren lukte niet; selecteer de tekst.";
        });
      });
    });
  }

  copyButtons(document);

  var form = document.getElementById("staff-search");
  if (!form) return;
  var query = document.getElementById("q");
  var programme = document.getElementById("programme");
  var actieprogramma = document.getElementById("actieprogramma");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var timer = null;
  var latest = 0;
  var lastResults = [];

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function path(record) {
    var parts = [];
    if (record.programme) parts.push("Programma " + record.programme + ": " + record.programme_title);
    if (record.actieprogramma) parts.push("Actieprogramma " + record.actieprogramma + ": " + record.actieprogramma_title);
    if (record.subheading) parts.push(record.subheading);
    if (!record.programme) parts.push(record.citation);
    return parts.join(" › ");
  }

  function render(data) {
    results.textContent = "";
    lastResults = data.results;
    data.results.forEach(function (result) {
      var record = result.record;
      var item = el("li", { class: "result" });
      var title = el("h2");
      if (record.action) {
        title.appendChild(el("a", { href: "/actie/" + record.label }, "Actie " + record.label));
      } else {
        title.textContent = record.citation;
      }
      item.appendChild(title);
      item.appendChild(el("p", { class: "path" }, path(record)));
      item.appendChild(el("p", { class: "text" }, record.text));
      var copy = el("button", { type: "button", class: "copy", "data-copy": record.citation + ": " + record.text }, "Kopieer citaat");
      item.appendChild(copy);
      item.appendChild(el("span", { class: "copied", role: "status", "aria-live": "polite" }));
      results.appendChild(item);
    });
    copyButtons(results);
    status.textContent = data.results.length === 0 ? "Geen resultaten." : data.results.length + " resultaten.";
  }

  function search() {
    var q = query.value.trim();
    if (!q) { ++latest; results.textContent = ""; results.setAttribute("aria-busy", "false"); status.textContent = ""; lastResults = []; return; }
    var params = new URLSearchParams({ q: q, k: "20" });
    if (programme.value) params.set("programme", programme.value);
    if (actieprogramma.value) params.set("actieprogramma", actieprogramma.value);
    var ticket = ++latest;
    // Busy until the newest search is shown: assistive technology (and tests) then know the
    // list on screen may still change.
    results.setAttribute("aria-busy", "true");
    fetch("/v1/search?" + params.toString()).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (reply) {
      if (ticket !== latest) return;  // a newer search is under way
      results.setAttribute("aria-busy", "false");
      if (!reply.ok) { results.textContent = ""; lastResults = []; status.textContent = reply.body.message; return; }
      render(reply.body);
    }, function () {
      if (ticket !== latest) return;
      results.setAttribute("aria-busy", "false");
      status.textContent = "Zoeken lukte niet; probeer het opnieuw.";
    });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  }

  query.addEventListener("input", soon);
  programme.addEventListener("change", function () {
    Array.prototype.forEach.call(actieprogramma.options, function (option) {
      var belongs = !option.value || !programme.value || option.getAttribute("data-programme") === programme.value;
      option.hidden = !belongs;
    });
    if (actieprogramma.selectedOptions[0] && actieprogramma.selectedOptions[0].hidden) actieprogramma.value = "";
    search();
  });
  actieprogramma.addEventListener("change", search);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // An action number opens its page straight away.
    if (lastResults.length === 1 && lastResults[0].method === "lookup" && lastResults[0].record.action) {
      window.location.href = "/actie/" + lastResults[0].record.label;
      return;
    }
    search();
  });
})();
