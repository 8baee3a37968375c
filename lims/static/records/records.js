/* Record pages: keyboard preview gallery and file metadata loaded on demand. */
(function () {
  "use strict";

  function setUpGallery(gallery) {
    var shots = Array.prototype.slice.call(gallery.querySelectorAll(".shot"));
    var image = document.getElementById("gallery-image");
    var caption = document.getElementById("gallery-caption");
    var position = document.getElementById("gallery-position");
    var current = 0;
    function show(index) {
      current = (index + shots.length) % shots.length;
      shots.forEach(function (shot, i) { shot.classList.toggle("current", i === current); });
      image.src = shots[current].dataset.src;
      image.alt = shots[current].dataset.caption;
      caption.textContent = shots[current].dataset.caption;
      position.textContent = String(current + 1);
    }
    shots.forEach(function (shot, i) { shot.addEventListener("click", function () { show(i); gallery.focus(); }); });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) { return; }
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    });
  }

  function setUpMetadata() {
    document.addEventListener("toggle", function (event) {
      var details = event.target;
      if (!details.classList || !details.classList.contains("lazy-meta") || !details.open || details.dataset.loaded) { return; }
      details.dataset.loaded = "1";
      var body = details.querySelector(".meta-body");
      fetch(details.dataset.url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.text();
        })
        .then(function (html) { body.innerHTML = html; })  // server-rendered and auto-escaped
        .catch(function (error) { body.textContent = "Could not load metadata (" + error.message + ")."; });
    }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var gallery = document.getElementById("gallery");
    if (gallery) { setUpGallery(gallery); }
    setUpMetadata();
  });
})();
