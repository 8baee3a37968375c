/* Record pages: preview gallery, file details loaded on demand, the vendor metadata tree, the token's
   copy button and the live session page. Everything from the server is inserted as text or as
   server-rendered (auto-escaped) HTML fragments. */
(function () {
  "use strict";

  function setUpGallery(gallery) {
    var shots = Array.prototype.slice.call(gallery.querySelectorAll(".shot"));
    var image = document.getElementById("gallery-image");
    var caption = document.getElementById("gallery-caption");
    var position = document.getElementById("gallery-position");
    var activity = document.getElementById("gallery-activity");
    var scalebar = document.getElementById("gallery-scalebar");
    var current = 0;
    function show(index) {
      current = (index + shots.length) % shots.length;
      var shot = shots[current];
      shots.forEach(function (other, i) { other.classList.toggle("current", i === current); });
      image.src = shot.dataset.src;
      image.alt = "Preview of " + shot.dataset.caption;
      caption.textContent = shot.dataset.caption;
      position.textContent = String(current + 1);
      activity.textContent = "activity " + shot.dataset.activity;
      activity.setAttribute("href", "#activity-" + shot.dataset.activity);
      if (shot.dataset.scalebar) {
        scalebar.hidden = false;
        scalebar.style.width = shot.dataset.scalebar + "%";
        scalebar.firstElementChild.textContent = shot.dataset.scalebarLabel;
      } else {
        scalebar.hidden = true;
      }
    }
    shots.forEach(function (shot, i) { shot.addEventListener("click", function () { show(i); }); });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable ||
                     (target.closest && target.closest(".plot")))) { return; }
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    });
  }

  function load(body, url) {
    body.textContent = "Loading…";
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        body.innerHTML = html;  // server-rendered and auto-escaped
        document.dispatchEvent(new CustomEvent("lims:content", { detail: body }));
      })
      .catch(function (error) { body.textContent = "Could not load (" + error.message + ")."; });
  }

  /* A file's details open in a row of their own under the file's row, made on first use. */
  function detailsRow(fileRow) {
    var key = fileRow.id.replace("file-", "");
    var row = document.getElementById("meta-" + key);
    if (row) { return row; }
    row = document.createElement("tr");
    row.className = "meta-row";
    row.id = "meta-" + key;
    var cell = document.createElement("td");
    cell.colSpan = fileRow.cells.length;
    var body = document.createElement("div");
    body.className = "meta-body";
    body.setAttribute("aria-live", "polite");
    cell.appendChild(body);
    row.appendChild(cell);
    fileRow.parentNode.insertBefore(row, fileRow.nextSibling);
    load(body, fileRow.closest("table").dataset.files + key + "/metadata/");
    return row;
  }

  function setUpFileDetails() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest(".meta-toggle");
      if (!button) { return; }
      var open = button.getAttribute("aria-expanded") !== "true";
      var row = detailsRow(button.closest("tr"));
      button.setAttribute("aria-controls", row.id);
      button.setAttribute("aria-expanded", String(open));
      row.hidden = !open;
    });
  }

  /* The vendor tree: nested <details>, built from JSON with textContent only; searching opens the matches. */
  var TREE_LIMIT = 20000;

  function treeNode(key, value, budget) {
    budget.left -= 1;
    if (value !== null && typeof value === "object" && budget.left > 0) {
      var details = document.createElement("details");
      details.setAttribute("role", "treeitem");
      var summary = document.createElement("summary");
      var name = document.createElement("span");
      name.className = "key";
      name.textContent = key;
      var size = document.createElement("span");
      size.className = "muted";
      var keys = Object.keys(value);
      size.textContent = " (" + keys.length + ")";
      summary.appendChild(name);
      summary.appendChild(size);
      details.appendChild(summary);
      var group = document.createElement("div");
      group.setAttribute("role", "group");
      keys.forEach(function (child) { if (budget.left > 0) { group.appendChild(treeNode(child, value[child], budget)); } });
      details.appendChild(group);
      return details;
    }
    var leaf = document.createElement("div");
    leaf.className = "leaf";
    leaf.setAttribute("role", "treeitem");
    var label = document.createElement("span");
    label.className = "key";
    label.textContent = key;
    var text = document.createElement("span");
    text.className = "value";
    text.textContent = value === null ? "null" : (typeof value === "object" ? "…" : String(value));
    leaf.appendChild(label);
    leaf.appendChild(document.createTextNode(": "));
    leaf.appendChild(text);
    return leaf;
  }

  function searchTree(container, query, counter) {
    var needle = query.trim().toLowerCase();
    var items = container.querySelectorAll(".leaf, details");
    var shown = 0;
    Array.prototype.forEach.call(items, function (item) { item.classList.remove("match", "hidden-by-search"); });
    if (!needle) { counter.textContent = ""; return; }
    Array.prototype.forEach.call(container.querySelectorAll(".leaf"), function (leaf) {
      var hit = leaf.textContent.toLowerCase().indexOf(needle) !== -1;
      var parent = leaf.parentElement;
      var keyHit = false;
      while (!hit && parent && parent !== container) {
        if (parent.tagName === "DETAILS" && parent.firstElementChild.textContent.toLowerCase().indexOf(needle) !== -1) {
          keyHit = true;
          break;
        }
        parent = parent.parentElement;
      }
      if (hit || keyHit) {
        shown += 1;
        if (hit) { leaf.classList.add("match"); }
        var up = leaf.parentElement;
        while (up && up !== container) {
          if (up.tagName === "DETAILS") { up.open = true; }
          up = up.parentElement;
        }
      } else {
        leaf.classList.add("hidden-by-search");
      }
    });
    var branches = Array.prototype.slice.call(container.querySelectorAll("details")).reverse();
    branches.forEach(function (branch) {
      if (!branch.querySelector(".leaf:not(.hidden-by-search)")) { branch.classList.add("hidden-by-search"); }
    });
    counter.textContent = shown + " match" + (shown === 1 ? "" : "es");
  }

  function setUpTree(details) {
    if (details.dataset.ready) { return; }
    details.dataset.ready = "1";
    var container = details.querySelector(".tree");
    var input = details.querySelector(".tree-search");
    var counter = details.querySelector(".tree-count");
    var loaded = false;
    function fill() {
      if (loaded) { return Promise.resolve(); }
      loaded = true;
      container.textContent = "Loading…";
      return fetch(details.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (tree) {
          container.textContent = "";
          var budget = { left: TREE_LIMIT };
          var keys = Object.keys(tree || {});
          if (!keys.length) { container.textContent = "This file holds no vendor metadata."; }
          keys.forEach(function (key) { container.appendChild(treeNode(key, tree[key], budget)); });
          if (budget.left <= 0) { counter.textContent = "Only the first " + TREE_LIMIT + " entries are shown."; }
        })
        .catch(function (error) { container.textContent = "Could not load the vendor metadata (" + error.message + ")."; });
    }
    details.addEventListener("toggle", function () { if (details.open) { fill(); } });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { fill().then(function () { searchTree(container, input.value, counter); }); }, 150);
    });
  }

  function setUpTrees(root) {
    Array.prototype.forEach.call(root.querySelectorAll("details.vendor-tree"), setUpTree);
  }

  function setUpCopy() {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.copy);
        var note = button.parentElement.querySelector(".copied");
        field.select();
        var done = function () { note.textContent = "Copied."; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
        } else {
          document.execCommand("copy");
          done();
        }
      });
    });
  }

  function setUpLive(live) {
    var interval = 4000;
    function tick() {
      fetch(live.dataset.url, { credentials: "same-origin" })
        .then(function (response) {
          if (response.redirected) { window.location.assign(response.url); return null; }
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.text();
        })
        .then(function (html) {
          if (html === null) { return; }
          live.innerHTML = html;  // server-rendered and auto-escaped
          var state = live.querySelector("[data-state]");
          if (state && state.dataset.state !== live.dataset.state &&
              ["COMPLETED", "NO_FILES", "ERROR"].indexOf(state.dataset.state) !== -1) {
            window.location.reload();
            return;
          }
          setTimeout(tick, interval);
        })
        .catch(function () { setTimeout(tick, interval * 2); });
    }
    setTimeout(tick, interval);
  }

  document.addEventListener("lims:content", function (event) { setUpTrees(event.detail); });

  document.addEventListener("DOMContentLoaded", function () {
    var gallery = document.getElementById("gallery");
    if (gallery) { setUpGallery(gallery); }
    setUpFileDetails();
    setUpTrees(document);
    setUpCopy();
    var live = document.getElementById("live");
    if (live) { setUpLive(live); }
  });
})();
