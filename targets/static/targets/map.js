/* The district's map (ECharts' geo component, vendored; no tile server). The outlines,
   figures and points come from the page's #map-data; the same figures are printed in the
   table under the map. A click on a town in the user's scope opens its dashboard; a
   town's communities (drilled down) are coloured by figures computed for them, or drawn
   as outlines when there are none (inScope false and the page says why). */
(function () {
  "use strict";

  var MAP = "canlian-district";
  var NONE = "#e9ecef";

  function draw() {
    var node = document.getElementById("map-data");
    var element = document.getElementById("district-map");
    if (!node || !element || !window.echarts) {
      return;
    }
    var data = JSON.parse(node.textContent);
    window.echarts.registerMap(MAP, data.geo);
    var values = data.regions
      .filter(function (r) {
        return r.value !== null;
      })
      .map(function (r) {
        return r.value;
      });
    var low = values.length ? Math.min.apply(null, values) : 0;
    var high = values.length ? Math.max.apply(null, values) : 1;
    if (high <= low) {
      high = low + 1;
    }
    var unit = data.indicator.unit;
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        renderMode: "richText", // drawn, not HTML with style attributes (CSP)
        formatter: function (p) {
          if (p.seriesType === "scatter") {
            return p.name + "（" + p.data.kind + "，示意位置）";
          }
          var region = p.data || {};
          if (!region.inScope) {
            return p.name + (data.uncoloured ? "（未着色）" : "：不在管辖范围");
          }
          return p.name + "：" + (region.value === null ? "—" : region.value + " " + unit);
        },
      },
      visualMap: {
        show: values.length > 0,
        type: "continuous",
        seriesIndex: 0,
        min: low,
        max: high,
        calculable: false,
        left: 8,
        bottom: 8,
        text: ["高", "低"],
        inRange: { color: ["#dbe9f6", "#0b4f8a"] },
      },
      geo: {
        map: MAP,
        roam: true,
        label: { show: true, color: "#212529" },
        itemStyle: { areaColor: NONE, borderColor: "#495057", borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffc107" } },
        select: { disabled: true },
        regions: data.regions
          .filter(function (r) {
            return r.own;
          })
          .map(function (r) {
            return { name: r.name, itemStyle: { borderColor: "#d63384", borderWidth: 4 } };
          }),
      },
      series: [
        {
          name: data.indicator.name,
          type: "map",
          geoIndex: 0,
          data: data.regions.map(function (r) {
            return { name: r.name, value: r.value === null ? NaN : r.value, url: r.url, inScope: r.inScope, code: r.code };
          }),
        },
        {
          name: "机构",
          type: "scatter",
          coordinateSystem: "geo",
          symbolSize: 9,
          itemStyle: { color: "#198754", borderColor: "#ffffff", borderWidth: 1 },
          data: data.points,
        },
      ],
    });
    var links = {};
    data.regions.forEach(function (r) {
      links[r.name] = r.url;
    });
    chart.on("click", function (p) {
      var url = links[p.name];
      if (url && p.seriesType !== "scatter") {
        window.location.assign(url);
      }
    });
    element.canlianChart = chart; // for the browser test's dispatchAction
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
