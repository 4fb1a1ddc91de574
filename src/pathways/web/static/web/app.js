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
    var statusColours = kind === "doughnut" ? ["#6b7280", "#b3261e", "#a86200", "#1b7a43"] : COLOURS;
    new Chart(canvas, {
      type: kind,
      data: {
        labels: data.labels,
        datasets: [{ label: canvas.dataset.label || "", data: data.values,
                     backgroundColor: kind === "bar" ? "#1f5fbf" : statusColours }]
      },
      options: { animation: false, responsive: true,
                 plugins: { legend: { display: kind !== "bar" } },
                 scales: kind === "bar" ? { y: { beginAtZero: true, max: 100 } } : {} }
    });
  }

  function drawAll(root) { root.querySelectorAll("canvas[data-chart]").forEach(draw); }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
