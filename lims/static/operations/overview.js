/* The overview's chart: gigabytes stored per month and instrument, drawn with uPlot from the page's JSON. */
(function () {
  "use strict";

  var COLOURS = ["#1f5fa8", "#a8231b", "#1d6b34", "#7a4b00", "#5b3d99", "#00707a", "#8a2d6b", "#4a5a0f"];

  function draw() {
    var host = document.getElementById("usage-chart");
    var source = document.getElementById("usage-data");
    if (!host || !source || !window.uPlot) { return; }
    var data = JSON.parse(source.textContent);
    var month = function (v) { return v === null || data.months[v] === undefined ? "" : data.months[v]; };
    var series = [{ label: "Month", value: function (u, v) { return v === null ? "—" : month(v); } }];
    var columns = [data.months.map(function (m, index) { return index; })];
    data.series.forEach(function (one, index) {
      series.push({ label: one.label, stroke: COLOURS[index % COLOURS.length], width: 2, points: { show: true },
                    value: function (u, v) { return v === null ? "—" : v + " GB"; } });
      columns.push(one.values);
    });
    var width = Math.max(260, host.clientWidth);
    new window.uPlot({
      width: width,
      height: Math.max(200, Math.round(width * 0.35)),
      series: series,
      scales: { x: { time: false } },
      axes: [{ values: function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) ? month(t) : ""; }); } },
             { label: "GB", size: 60 }]
    }, columns, host);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
