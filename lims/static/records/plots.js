/* Interactive spectra with uPlot (served from /static/vendor, installed from npm): zoom by dragging,
   read energy and counts under the pointer; a spectrum image's navigator shows the spectrum of the
   pixel pointed at (or chosen with the arrow keys). */
(function () {
  "use strict";

  var SCALE = 4;  // screen pixels per navigator pixel, at least

  function axisLabel(axis, fallback) {
    var name = axis && axis.name ? axis.name : fallback;
    return axis && axis.unit ? name + " (" + axis.unit + ")" : name;
  }

  function number(value) {
    if (value === null || value === undefined) { return "—"; }
    var magnitude = Math.abs(value);
    return magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3) ? value.toExponential(3) : String(+value.toPrecision(6));
  }

  function makePlot(host, plot, width, figure) {
    var xLabel = axisLabel(plot.x_axis, "Channel");
    var options = {
      hooks: { setScale: [function (u, key) {
        if (key === "x") { figure.dataset.xMin = u.scales.x.min; figure.dataset.xMax = u.scales.x.max; }
      }] },
      width: width,
      height: Math.max(220, Math.round(width * 0.45)),
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false } },
      axes: [{ label: xLabel }, { label: "Counts", size: 70 }],
      series: [
        { label: xLabel, value: function (u, v) { return number(v); } },
        { label: "Counts", stroke: "#1f5fa8", width: 1.5, value: function (u, v) { return number(v); } }
      ]
    };
    return new window.uPlot(options, [plot.x, plot.y], host);
  }

  function drawNavigator(canvas, rows) {
    var height = rows.length;
    var width = rows[0].length;
    canvas.width = width;
    canvas.height = height;
    var low = Infinity, high = -Infinity;
    rows.forEach(function (row) { row.forEach(function (v) { if (v !== null) { low = Math.min(low, v); high = Math.max(high, v); } }); });
    var span = high > low ? high - low : 1;
    var context = canvas.getContext("2d");
    var image = context.createImageData(width, height);
    rows.forEach(function (row, y) {
      row.forEach(function (v, x) {
        var grey = v === null ? 0 : Math.round(255 * (v - low) / span);
        var at = 4 * (y * width + x);
        image.data[at] = image.data[at + 1] = image.data[at + 2] = grey;
        image.data[at + 3] = 255;
      });
    });
    context.putImageData(image, 0, 0);
    var scale = Math.max(SCALE, Math.floor(192 / Math.max(width, height)));
    canvas.style.width = width * scale + "px";
    canvas.style.height = height * scale + "px";
  }

  function spectrumImage(figure, plot, chart) {
    var rows = plot.navigator;
    var wrap = document.createElement("div");
    wrap.className = "navigator";
    var canvas = document.createElement("canvas");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Navigator: summed intensity per pixel. Point at a pixel, or use the arrow keys, to see its spectrum.");
    var marker = document.createElement("div");
    marker.className = "marker";
    var readout = document.createElement("p");
    readout.className = "readout muted";
    readout.setAttribute("aria-live", "polite");
    readout.textContent = "Sum of all pixels";
    wrap.appendChild(canvas);
    wrap.appendChild(marker);
    figure.insertBefore(readout, figure.firstChild);
    figure.insertBefore(wrap, figure.firstChild);
    drawNavigator(canvas, rows);
    var cache = {};
    var shown = null;
    var pending = null;
    function place(x, y) {
      var size = canvas.clientWidth / rows[0].length;
      marker.style.left = x * size + "px";
      marker.style.top = y * size + "px";
      marker.style.width = marker.style.height = size + "px";
      marker.hidden = false;
    }
    function show(x, y) {
      x = Math.max(0, Math.min(rows[0].length - 1, x));
      y = Math.max(0, Math.min(rows.length - 1, y));
      var key = x + "," + y;
      if (shown === key) { return; }
      shown = key;
      place(x, y);
      readout.textContent = "Pixel x " + x + ", y " + y;
      figure.dataset.pixel = key;
      if (cache[key]) { chart.setData([plot.x, cache[key]]); return; }
      clearTimeout(pending);
      pending = setTimeout(function () {
        fetch(figure.dataset.url + "?x=" + x + "&y=" + y, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (answer) {
            if (!answer) { return; }
            cache[key] = answer.values;
            if (shown === key) { chart.setData([plot.x, answer.values]); figure.dataset.loadedPixel = key; }
          });
      }, 60);
    }
    canvas.addEventListener("pointermove", function (event) {
      var box = canvas.getBoundingClientRect();
      show(Math.floor((event.clientX - box.left) / box.width * rows[0].length),
           Math.floor((event.clientY - box.top) / box.height * rows.length));
    });
    canvas.addEventListener("keydown", function (event) {
      var at = (shown || "0,0").split(",").map(Number);
      var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      var move = moves[event.key];
      if (!move) { return; }
      event.preventDefault();
      show(at[0] + move[0], at[1] + move[1]);
    });
    marker.hidden = true;
  }

  function render(figure) {
    if (figure.dataset.ready || !window.uPlot) { return; }
    figure.dataset.ready = "1";
    var host = document.createElement("div");
    host.className = "chart";
    figure.insertBefore(host, figure.firstChild);
    function attempt(tries) {
      fetch(figure.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 503 && tries > 0) {
            var wait = parseInt(response.headers.get("Retry-After") || "2", 10);
            setTimeout(function () { attempt(tries - 1); }, wait * 1000);
            return null;
          }
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (plot) {
          if (!plot) { return; }
          var width = Math.max(260, Math.min(760, figure.clientWidth - (plot.kind === "spectrum_image" ? 220 : 0)));
          var chart = makePlot(host, plot, width, figure);
          if (plot.kind === "spectrum_image") { spectrumImage(figure, plot, chart); }
          figure.dataset.kind = plot.kind;
          figure.classList.add("drawn");
        })
        .catch(function (error) { host.textContent = "The plot could not be drawn (" + error.message + ")."; });
    }
    attempt(10);
  }

  function renderAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("figure.plot[data-url]"), render);
  }

  document.addEventListener("lims:content", function (event) { renderAll(event.detail); });
  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
})();
