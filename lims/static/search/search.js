/* The search page: completions from /api/v1/search/complete as the user types (an ARIA combobox),
   and the CSV form opened by its link. */
(function () {
  "use strict";

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var url = input.dataset.completeUrl;
    var items = [];
    var current = -1;
    var pending = null;
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      current = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      current = index;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      if (!items[index]) { return; }
      input.value = items[index].insert;
      close();
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
      ask();
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = "completion-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.textContent = item.label;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.kind + (item.count !== null ? " · " + item.count : "");
        option.appendChild(label);
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(option);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(-1);
      } else {
        close();
      }
    }

    function ask() {
      var text = input.value;
      if (text === asked) { return; }
      asked = text;
      if (!text.trim()) { show([]); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin", signal: pending.signal,
                                                      headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (input.value === text) { show(found); } })
        .catch(function () { /* a newer request replaced this one, or the network failed: no completions */ });
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { highlight(Math.min(current + 1, items.length - 1)); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(Math.max(current - 1, -1)); event.preventDefault(); }
      else if (event.key === "Enter" && current >= 0) { choose(current); event.preventDefault(); }
      else if (event.key === "Tab" && current >= 0) { choose(current); event.preventDefault(); }
      else if (event.key === "Escape") { close(); event.preventDefault(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function openExportWhenAsked() {
    var details = document.getElementById("export");
    if (!details) { return; }
    function open() { if (location.hash === "#export") { details.open = true; } }
    window.addEventListener("hashchange", open);
    document.querySelectorAll("a[href='#export']").forEach(function (link) {
      link.addEventListener("click", function () { details.open = true; });
    });
    open();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[role=combobox][data-complete-url]");
    if (input) { setUp(input); }
    openExportWhenAsked();
  });
})();
