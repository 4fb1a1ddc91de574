// Draws every <canvas data-chart> from the JSON the page embedded with json_script.
// Kept in a static file so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  var COLOURS = ["#1b7a43", "#a86200", "#b3261e", "#6b7280", "#1f5fbf", "#7c3aed"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var kind = canvas.dataset.chart;
    if (data.datasets) { drawSeries(canvas, kind, data); return; }
    // A doughnut colours each status; a bar or line is one series in one colour (per-point
    // colours on a line would read as categories that are not there).
    var colour = kind === "doughnut" ? ["#6b7280", "#b3261e", "#a86200", "#1b7a43"] : "#1f5fbf";
    new Chart(canvas, {
      type: kind,
      data: {
        labels: data.labels,
        datasets: [{ label: canvas.dataset.label || "", data: data.values,
                     backgroundColor: colour, borderColor: kind === "line" ? colour : undefined }]
      },
      options: { animation: false, responsive: true,
                 plugins: { legend: { display: kind !== "bar" } },
                 // Percentages: the whole 0-100 scale, so a move from 14% to 20% looks small.
                 scales: kind === "doughnut" ? {} : { y: { beginAtZero: true, max: 100 } } }
    });
  }

  // A run chart's "marker" (index of the cycle's first week): a dashed vertical line, labelled,
  // so the baseline and the weeks of the change read apart.
  function markerPlugin(index) {
    return {
      id: "cycleStart",
      afterDatasetsDraw: function (chart) {
        var x = chart.scales.x.getPixelForValue(index) - 0.5 * (
          chart.scales.x.getPixelForValue(1) - chart.scales.x.getPixelForValue(0));
        var area = chart.chartArea, ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = "#374151";
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#374151";
        ctx.fillText("Cycle starts", x + 4, area.top + 12);
        ctx.restore();
      }
    };
  }

  // Several series (run charts, survey against a benchmark): {labels, datasets: [{label, data,
  // dashed}], horizontal, marker}. Gaps (null) are left as gaps.
  function drawSeries(canvas, kind, data) {
    var plugins = typeof data.marker === "number" && data.marker > 0 && data.labels.length > 1
      ? [markerPlugin(data.marker)] : [];
    new Chart(canvas, {
      plugins: plugins,
      type: kind,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          return { label: set.label, data: set.data, borderColor: COLOURS[(i + 4) % COLOURS.length],
                   backgroundColor: COLOURS[(i + 4) % COLOURS.length], spanGaps: false,
                   borderDash: set.dashed ? [6, 4] : [], pointRadius: set.dashed ? 0 : 3 };
        })
      },
      options: { animation: false, responsive: true, indexAxis: data.horizontal ? "y" : "x",
                 plugins: { legend: { display: true } } }
    });
  }

  function drawAll(root) { root.querySelectorAll("canvas[data-chart]").forEach(draw); }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();

// LTI deep linking: the signed answer goes straight back to the LMS (the button stays as a fallback).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) { form.submit(); });
  });
})();
