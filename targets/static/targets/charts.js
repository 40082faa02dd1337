/* The dashboard's charts (ECharts, vendored): per indicator its progress by month against
   the target line, and on the district's page each town against its target. The numbers
   come from the page's #chart-data; each chart's container is an image with a name, and the
   same numbers are printed in the table under it, for readers who cannot see the chart. */
(function () {
  "use strict";

  var BLUE = "#0b4f8a";
  var ORANGE = "#b34700";

  function init(id) {
    var element = document.getElementById(id);
    if (!element) {
      return null;
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    window.addEventListener("resize", function () {
      chart.resize();
    });
    return chart;
  }

  function base(spec) {
    return {
      animation: false,
      grid: { left: 56, right: 12, top: 28, bottom: 24 },
      legend: { top: 0, itemHeight: 8, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", renderMode: "richText" }, // drawn, not HTML with style attributes (CSP)
      yAxis: { type: "value", minInterval: spec.unit === "元" ? 0 : 1 },
    };
  }

  function progress(spec) {
    var chart = init(spec.id);
    if (!chart) {
      return;
    }
    var option = base(spec);
    option.xAxis = { type: "category", data: spec.months };
    option.series = [
      {
        name: (spec.cumulative ? "累计" : "当月") + "（" + spec.unit + "）",
        type: spec.stock || !spec.cumulative ? "line" : "bar",
        data: spec.values,
        itemStyle: { color: BLUE },
        connectNulls: false,
      },
    ];
    if (spec.target) {
      option.series.push({
        name: "目标进度",
        type: "line",
        data: spec.target,
        symbol: "none",
        lineStyle: { type: "dashed", color: ORANGE },
        itemStyle: { color: ORANGE },
      });
    }
    chart.setOption(option);
  }

  function towns(spec) {
    var chart = spec.towns && init(spec.towns.id);
    if (!chart) {
      return;
    }
    var option = base(spec);
    option.grid.bottom = 48;
    option.xAxis = { type: "category", data: spec.towns.names, axisLabel: { interval: 0, rotate: 30, fontSize: 10 } };
    option.series = [
      { name: "数值（" + spec.unit + "）", type: "bar", data: spec.towns.values, itemStyle: { color: BLUE } },
    ];
    if (
      spec.towns.targets.some(function (value) {
        return value !== null;
      })
    ) {
      option.series.push({
        name: "目标",
        type: "bar",
        data: spec.towns.targets,
        itemStyle: { color: ORANGE, opacity: 0.6 },
      });
    }
    chart.setOption(option);
  }

  function draw() {
    var node = document.getElementById("chart-data");
    if (!node || !window.echarts) {
      return;
    }
    JSON.parse(node.textContent).forEach(function (spec) {
      progress(spec);
      towns(spec);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
