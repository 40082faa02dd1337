/* The dashboard's monthly charts (ECharts, vendored). The numbers come from the page's
   #chart-data; each chart's container is an image with a name, and the same numbers are
   printed in the table under it, for readers who cannot see the chart. */
(function () {
  "use strict";

  function draw() {
    var node = document.getElementById("chart-data");
    if (!node || !window.echarts) {
      return;
    }
    JSON.parse(node.textContent).forEach(function (spec) {
      var element = document.getElementById(spec.id);
      if (!element) {
        return;
      }
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        grid: { left: 56, right: 12, top: 12, bottom: 24 },
        tooltip: { trigger: "axis", renderMode: "richText" }, // drawn, not HTML with style attributes (CSP)
        xAxis: { type: "category", data: spec.months },
        yAxis: { type: "value", minInterval: spec.unit === "元" ? 0 : 1 },
        series: [
          {
            name: spec.name + "（" + spec.unit + "）",
            type: spec.stock ? "line" : "bar",
            data: spec.values,
            itemStyle: { color: "#0b4f8a" },
            connectNulls: false,
          },
        ],
      });
      window.addEventListener("resize", function () {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
