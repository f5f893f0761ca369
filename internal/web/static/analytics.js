// Charts of the satisfaction dashboard (/analytics), drawn with the
// vendored Apache ECharts from the JSON in each .chart's data-chart
// attribute. Every text comes translated from the server; every chart has
// its table on the page, so nothing is lost without scripts.
(function () {
  'use strict';

  var quadrantColour = { concentrate: '#c0362c', keep_up: '#1e7b45', low_priority: '#6b7280', overkill: '#a15c00' };
  var font = { fontFamily: 'inherit', fontSize: 12 };

  function esc(t) { return String(t).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function fmt(v, digits) { return v === null || v === undefined ? '—' : Number(v).toFixed(digits); }

  // A category axis whose long names are cut with an ellipsis (the
  // tooltip shows them whole).
  function nameAxis(labels) {
    return { type: 'category', data: labels, inverse: true,
      axisLabel: Object.assign({ width: 150, overflow: 'truncate', interval: 0 }, font) };
  }

  function satisfaction(d, el) {
    el.style.height = Math.max(200, 36 * d.labels.length + 70) + 'px';
    var bars = d.value.map(function (v, i) {
      return { value: v, itemStyle: { color: d.muted[i] ? '#c9ced6' : '#1d5fd1' } };
    });
    var errors = d.low.map(function (lo, i) { return [i, lo, d.high[i]]; }).filter(function (e) { return e[1] !== null; });
    // The value and n are written after the interval's end, where nothing
    // else is drawn.
    return {
      grid: { left: 160, right: 100, top: 30, bottom: 30 },
      tooltip: { trigger: 'item', formatter: function (p) {
        var i = p.dataIndex;
        return d.labels[i] + '<br>CSAT ' + fmt(d.value[i], 1) + '% [' + fmt(d.low[i], 1) + ', ' + fmt(d.high[i], 1) + ']<br>n ' + d.n[i];
      } },
      xAxis: { type: 'value', min: 0, max: 100, name: d.title, nameLocation: 'middle', nameGap: 22, axisLabel: font },
      yAxis: nameAxis(d.labels),
      series: [
        { type: 'bar', data: bars, barMaxWidth: 22 },
        { type: 'custom', data: errors, z: 10, tooltip: { show: false }, encode: { x: [1, 2], y: 0 },
          renderItem: function (params, api) {
            var lo = api.coord([api.value(1), api.value(0)]), hi = api.coord([api.value(2), api.value(0)]);
            var h = 6, style = { stroke: '#1f2937', lineWidth: 1.2 };
            return { type: 'group', children: [
              { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
              { type: 'line', shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style: style },
              { type: 'line', shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style: style },
              { type: 'text', x: hi[0] + 6, y: hi[1], style: { text: fmt(d.value[api.value(0)], 0) + '% · n ' + d.n[api.value(0)],
                verticalAlign: 'middle', fill: '#1f2937', fontSize: 12 } }
            ] };
          } }
      ]
    };
  }

  function ipa(d) {
    var xs = d.points.map(function (p) { return p.x; }).concat([d.x_cut]);
    var ys = d.points.map(function (p) { return p.y; }).concat([d.y_cut]);
    var xmin = Math.floor((Math.min.apply(null, xs) - 0.15) * 10) / 10, xmax = Math.ceil((Math.max.apply(null, xs) + 0.15) * 10) / 10;
    var ymin = Math.max(0, Math.floor(Math.min.apply(null, ys) - 3)), ymax = Math.ceil(Math.max.apply(null, ys) + 3);
    return {
      grid: { left: 60, right: 30, top: 30, bottom: 50 },
      tooltip: { trigger: 'item', formatter: function (p) {
        var q = d.points[p.dataIndex];
        return q.name + '<br>' + d.x_name + ' ' + fmt(q.x, 2) + '<br>' + d.y_name + ' ' + fmt(q.y, 1) + '<br>' + d.quadrants[q.quadrant];
      } },
      xAxis: { type: 'value', min: xmin, max: xmax, name: d.x_name, nameLocation: 'middle', nameGap: 28, axisLabel: font },
      yAxis: { type: 'value', min: ymin, max: ymax, name: d.y_name, nameLocation: 'middle', nameGap: 40, axisLabel: font },
      series: [{
        type: 'scatter', symbolSize: 12,
        data: d.points.map(function (p) { return { value: [p.x, p.y], name: p.name, itemStyle: { color: quadrantColour[p.quadrant] } }; }),
        label: { show: true, position: 'right', formatter: '{b}', fontSize: 12 },
        // Labels that would overlap move apart vertically instead of
        // covering each other.
        labelLayout: { moveOverlap: 'shiftY' },
        labelLine: { show: true, lineStyle: { color: '#9aa3af' } },
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#6b7280' }, label: { show: false },
          data: [{ xAxis: d.x_cut }, { yAxis: d.y_cut }] },
        markArea: { silent: true, itemStyle: { color: 'rgba(192,54,44,0.07)' },
          label: { show: true, position: 'insideTopLeft', color: '#c0362c', fontSize: 12 },
          data: [[{ name: d.quadrants.concentrate, coord: [xmin, ymax] }, { coord: [d.x_cut, d.y_cut] }]] }
      }]
    };
  }

  function index(d, el) {
    el.style.height = Math.max(180, 32 * d.labels.length + 60) + 'px';
    return {
      grid: { left: 160, right: 50, top: 20, bottom: 30 },
      tooltip: { trigger: 'item', formatter: function (p) { return d.labels[p.dataIndex] + '<br>' + d.title + ' ' + fmt(p.value, 1); } },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: font },
      yAxis: nameAxis(d.labels),
      series: [{ type: 'bar', data: d.scores, barMaxWidth: 20, itemStyle: { color: '#1d5fd1' },
        label: { show: true, position: 'right', formatter: function (p) { return fmt(p.value, 1); } } }]
    };
  }

  function trend(d) {
    var p = d.p.map(function (v, i) {
      return { value: v, symbolSize: d.alert[i] ? 11 : 6, itemStyle: { color: d.alert[i] ? '#c0362c' : '#1d5fd1' } };
    });
    var cl = d.keys.map(function () { return d.cl; });
    return {
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      legend: { top: 0, data: d.names, textStyle: font },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return fmt(v, 1) + '%'; } },
      xAxis: { type: 'category', data: d.keys, axisLabel: Object.assign({ rotate: d.keys.length > 8 ? 40 : 0 }, font) },
      yAxis: { type: 'value', min: function (v) { return Math.max(0, Math.floor(v.min - 5)); }, max: 100, axisLabel: font },
      series: [
        { name: d.names[0], type: 'line', data: p, z: 5, lineStyle: { width: 2, color: '#1d5fd1' }, itemStyle: { color: '#1d5fd1' } },
        { name: d.names[1], type: 'line', data: cl, symbol: 'none', lineStyle: { color: '#1e7b45', width: 1 }, itemStyle: { color: '#1e7b45' } },
        { name: d.names[2], type: 'line', step: 'middle', data: d.ucl, symbol: 'none', lineStyle: { type: 'dashed', color: '#c0362c', width: 1 }, itemStyle: { color: '#c0362c' } },
        { name: d.names[3], type: 'line', step: 'middle', data: d.lcl, symbol: 'none', lineStyle: { type: 'dashed', color: '#c0362c', width: 1 }, itemStyle: { color: '#c0362c' } }
      ]
    };
  }

  function aspects(d, el) {
    el.style.height = Math.max(180, 30 * d.labels.length + 70) + 'px';
    return {
      grid: { left: 120, right: 30, top: 30, bottom: 30 },
      legend: { top: 0, data: d.names, textStyle: font },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', axisLabel: font, minInterval: 1 },
      yAxis: nameAxis(d.labels),
      series: [
        { name: d.names[0], type: 'bar', stack: 'all', data: d.positive, itemStyle: { color: '#1e7b45' }, barMaxWidth: 20 },
        { name: d.names[1], type: 'bar', stack: 'all', data: d.negative, itemStyle: { color: '#c0362c' }, barMaxWidth: 20 }
      ]
    };
  }

  // Fault-code counts by interval, one line per model and code; a spike
  // is drawn large and red, the tooltip gives the expected count and limit.
  function faults(d) {
    var colors = ['#1d5fd1', '#8a4fd1', '#1e7b45', '#b8860b'];
    var series = d.lines.map(function (l, k) {
      return {
        name: l.name, type: 'line', z: 5, lineStyle: { width: 2, color: colors[k % colors.length] },
        itemStyle: { color: colors[k % colors.length] },
        data: l.count.map(function (v, i) {
          return { value: v, symbolSize: l.spike[i] ? 12 : 5, itemStyle: { color: l.spike[i] ? '#c0362c' : colors[k % colors.length] } };
        })
      };
    });
    return {
      grid: { left: 40, right: 20, top: 30 + 18 * d.lines.length, bottom: 60 },
      legend: { top: 0, type: 'scroll', orient: 'vertical', data: d.lines.map(function (l) { return l.name; }), textStyle: font },
      tooltip: { trigger: 'axis', formatter: function (ps) {
        var out = ps.length ? esc(d.keys[ps[0].dataIndex]) : '';
        ps.forEach(function (p) {
          var l = d.lines[p.seriesIndex], i = p.dataIndex;
          out += '<br>' + esc(l.name) + ': ' + esc(d.names[0]) + ' ' + l.count[i] + ', ' + esc(d.names[1]) + ' ' + fmt(l.expected[i], 2) +
            ', ' + esc(d.names[2]) + ' ' + l.ucl[i];
        });
        return out;
      } },
      xAxis: { type: 'category', data: d.keys, axisLabel: Object.assign({ rotate: d.keys.length > 8 ? 40 : 0 }, font) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: font },
      series: series
    };
  }

  var builders = { satisfaction: satisfaction, ipa: ipa, index: index, trend: trend, aspects: aspects, faults: faults };

  function draw() {
    if (!window.echarts) { return; }
    var charts = [];
    document.querySelectorAll('.chart[data-chart]').forEach(function (el) {
      var d;
      try { d = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
      var build = builders[d.kind];
      if (!build || (d.labels && d.labels.length === 0) || (d.points && d.points.length === 0) || (d.keys && d.keys.length === 0) || (d.lines && d.lines.length === 0)) {
        el.hidden = true;
        return;
      }
      var opt = build(d, el);
      opt.textStyle = font;
      opt.animation = false;
      var c = window.echarts.init(el, null, { renderer: 'svg' });
      c.setOption(opt);
      el.setAttribute('data-drawn', 'true');
      charts.push(c);
    });
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
