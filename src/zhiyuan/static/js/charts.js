/* Draws the ECharts charts of a page from the data the view put in a json_script element.

   <div class="chart" data-chart="heatmap|bars" data-source="ID" hidden></div> reads
   JSON.parse(document.getElementById(ID).textContent). Every string it shows comes from that payload
   (translated by the view), so there is no text to translate here. Names come from users: tooltips are
   HTML, so everything put in them is escaped. The box stays hidden until it is drawn, so a page without
   JavaScript shows only its table. */
(function () {
  "use strict";

  var charts = [];

  function esc(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  function narrow(box) {
    return box.clientWidth < 480;
  }

  function shorten(text, max) {
    text = String(text);
    return text.length > max ? text.slice(0, max - 1) + "\u2026" : text;
  }

  function heatmap(box, data) {
    var small = narrow(box);
    var cols = data.x.length;
    var rows = data.y.length;
    // past this many columns or rows the cells get too small to read: zoom into a slice, slide for the rest
    var showCols = small ? 6 : 16;
    var showRows = small ? 10 : 14;
    var zoom = [];
    if (cols > showCols) {
      zoom.push({ type: "slider", xAxisIndex: 0, height: 16, bottom: 4, startValue: 0, endValue: showCols - 1, brushSelect: false });
      zoom.push({ type: "inside", xAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: false, moveOnMouseMove: true });
    }
    if (rows > showRows) {
      zoom.push({ type: "slider", yAxisIndex: 0, width: 14, right: 2, startValue: 0, endValue: showRows - 1, brushSelect: false });
      zoom.push({ type: "inside", yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true, moveOnMouseMove: true });
    }
    var cats = data.categories;
    return {
      animation: false,
      grid: { left: small ? 84 : 150, right: rows > showRows ? 24 : 8, top: 8, bottom: cols > showCols ? 84 : 64 },
      tooltip: {
        confine: true,
        formatter: function (p) {
          var cat = cats[p.value[2]];
          return esc(data.names.y) + "\uff1a" + esc(data.y[p.value[1]]) + "<br>" +
            esc(data.names.x) + "\uff1a" + esc(data.xFull[p.value[0]]) + "<br>" +
            esc(data.names.value) + "\uff1a" + esc(cat.label);
        }
      },
      xAxis: {
        type: "category", data: data.x, name: "", splitArea: { show: true },
        axisLabel: { rotate: 60, fontSize: 10, interval: 0 }
      },
      yAxis: {
        type: "category", data: data.y, inverse: true, splitArea: { show: true },
        axisLabel: { fontSize: 11, interval: 0, formatter: function (v) { return shorten(v, small ? 6 : 12); } }
      },
      dataZoom: zoom,
      // the page shows the legend as HTML (with the same marks), so the colour key is not drawn twice
      visualMap: {
        type: "piecewise", show: false, dimension: 2,
        pieces: cats.map(function (c, i) { return { value: i, label: c.label, color: c.colour }; })
      },
      series: [{
        type: "heatmap", name: data.label, data: data.cells,
        itemStyle: { borderColor: "#fff", borderWidth: 2, borderRadius: 3 },
        label: {
          show: true, fontSize: 10,
          formatter: function (p) { return cats[p.value[2]].mark; },
          color: "#1f2933", textBorderColor: "#fff", textBorderWidth: 2
        }
      }]
    };
  }

  function bars(box, data) {
    var small = narrow(box);
    var suffix = data.suffix || "";
    var valueAxis = { type: "value", max: data.max || null, axisLabel: { formatter: "{value}" + (suffix === "%" ? "%" : "") } };
    var names = {
      type: "category", data: data.names, inverse: !!data.horizontal,
      axisLabel: { interval: 0, fontSize: 11, formatter: function (v) { return shorten(v, small ? 10 : 16); } }
    };
    var notes = data.notes || [];
    return {
      animation: false,
      title: data.subtitle ? { text: data.subtitle, left: "right", top: 0, textStyle: { fontSize: 12, fontWeight: "normal", color: "#6b7280" } } : undefined,
      grid: data.horizontal
        ? { left: small ? 118 : 190, right: 48, top: data.subtitle ? 24 : 8, bottom: 24 }
        : { left: 44, right: 8, top: data.subtitle ? 28 : 12, bottom: 28 },
      tooltip: {
        trigger: "axis", confine: true, axisPointer: { type: "shadow" },
        formatter: function (ps) {
          var p = ps[0];
          var lines = [esc(data.names[p.dataIndex]), esc(data.series) + "\uff1a" + esc(p.value) + esc(suffix === "%" ? "%" : " " + suffix)];
          if (notes[p.dataIndex]) { lines.push(esc(notes[p.dataIndex])); }
          return lines.join("<br>");
        }
      },
      xAxis: data.horizontal ? valueAxis : names,
      yAxis: data.horizontal ? names : valueAxis,
      series: [{
        type: "bar", name: data.series, data: data.values, barMaxWidth: 28,
        itemStyle: { color: "#c0392b", borderRadius: data.horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0] },
        label: {
          show: true, position: data.horizontal ? "right" : "top", fontSize: 11,
          formatter: function (p) { return p.value + (suffix === "%" ? "%" : ""); }
        }
      }]
    };
  }

  var DRAW = { heatmap: heatmap, bars: bars };

  function isEmpty(kind, data) {
    return kind === "heatmap" ? !data.cells.length : !data.values.length;
  }

  function draw(box) {
    var kind = box.getAttribute("data-chart");
    var source = document.getElementById(box.getAttribute("data-source"));
    if (!DRAW[kind] || !source) { return; }
    var data = JSON.parse(source.textContent);
    if (isEmpty(kind, data)) {
      if (!data.empty) { return; }  // the page says it elsewhere
      var p = document.createElement("p");
      p.className = "empty";
      p.textContent = data.empty;
      box.classList.add("chart-empty");
      box.removeAttribute("role");
      box.appendChild(p);
      box.hidden = false;
      return;
    }
    box.hidden = false;
    if (kind === "bars" && data.horizontal) {
      // one row per bar, so twenty names stay readable
      box.style.height = Math.max(160, 40 + data.values.length * 24) + "px";
    }
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(DRAW[kind](box, data));
    charts.push(chart);
    var fallback = document.querySelector('[data-chart-fallback="' + box.getAttribute("data-source") + '"]');
    if (fallback) { fallback.open = false; }  // the chart is up; the table stays one tap away
  }

  function start() {
    if (!window.echarts) { return; }  // the tables remain
    document.querySelectorAll(".chart[data-chart]").forEach(draw);
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
