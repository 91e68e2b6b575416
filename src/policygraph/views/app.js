// The view's behaviour, whichever library draws it: what is shown (types, dates, documents,
// confidence, neighbour expansion), search, the actor panel, the groups and isolated lists, and
// export. A renderer (render-vis.js or render-sigma.js) registers itself in window.PGRenderers
// and is given this object; it draws what app.nodeVisible / app.edgeVisible allow.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pg-data").textContent);
  // canvas labels need the CJK fonts named too: the page's CSS does not reach the canvas
  var FONT_FACE = getComputedStyle(document.body).fontFamily;
  var byId = {}, adjacency = {}, shown = {}, hiddenTypes = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; adjacency[n.id] = []; if (n.shown) shown[n.id] = true; });
  data.edges.forEach(function (e) { adjacency[e.from].push(e); if (e.to !== e.from) adjacency[e.to].push(e); });
  var filter = {from: 0, to: data.dates.length - 1, document: "", minConfidence: 0};

  function el(id) { return document.getElementById(id); }
  function text(tag, content, cls) {
    var node = document.createElement(tag); node.textContent = content; if (cls) node.className = cls; return node;
  }

  // ------------------------------------------------------------ what is shown
  function documentPasses(i) {
    var d = data.documents[i];
    if (filter.document && d[0] !== filter.document && d[2] !== filter.document) return false;
    if (!d[1] || !data.dates.length) return true;  // undated documents stay in every range
    return d[1] >= data.dates[filter.from] && d[1] <= data.dates[filter.to] + "\uffff";
  }
  function documentsPass(docs) { return !docs.length || docs.some(documentPasses); }
  function nodeVisible(id) {
    var n = byId[id];
    return !n.isolated && !!shown[id] && !hiddenTypes[n.type] && documentsPass(n.docs);
  }
  function edgeVisible(e) {
    return nodeVisible(e.from) && nodeVisible(e.to) && (e.conf === null || e.conf >= filter.minConfidence) &&
      documentsPass(e.docs);
  }
  function visibleNodes() { return data.nodes.filter(function (n) { return nodeVisible(n.id); }); }
  function visibleEdges() { return data.edges.filter(edgeVisible); }

  var app = {data: data, font: FONT_FACE, byId: byId, nodeVisible: nodeVisible, edgeVisible: edgeVisible};
  var renderer = null;

  function status() {
    var n = visibleNodes().length, e = visibleEdges().length;
    el("status").textContent = n + " / " + (data.nodes.length - data.isolated.length) + " actors shown, " + e + " facts";
  }
  function refresh() { renderer.refresh(); status(); }

  // ------------------------------------------------------------ the actor panel
  function showInfo(id) {
    var n = byId[id], box = el("info");
    box.replaceChildren();
    box.appendChild(text("h3", n.label));
    box.appendChild(text("div", n.type));
    if (n.info.aliases.length) box.appendChild(text("div", "别名: " + n.info.aliases.join("、")));
    if (n.info.amounts.length) box.appendChild(text("div", "投资额: " + n.info.amounts.join(", ")));
    if (n.info.dates.length) box.appendChild(text("div", "日期: " + n.info.dates.join(", ")));
    var shownEvidence = 0;
    adjacency[id].some(function (e) {
      e.ev.slice(0, 2).forEach(function (ev) {
        if (shownEvidence >= 12) return;
        var d = text("div", "", "ev");
        d.appendChild(text("b", byId[e.from].label + " " + e.title + " " + byId[e.to].label));
        d.appendChild(document.createElement("br"));
        d.appendChild(text("span", ev[0])); d.appendChild(text("div", data.documents[ev[1]][0], "doc"));
        box.appendChild(d); shownEvidence++;
      });
      return shownEvidence >= 12;
    });
    if (n.docs.length) {
      box.appendChild(text("div", "文档: " + n.docs.slice(0, 10).map(function (i) { return data.documents[i][0]; })
        .join(", "), "doc"));
    }
  }
  app.onClick = function (id) { showInfo(id); };
  app.onDoubleClick = function (id) { expand(id); };

  function expand(id) {
    shown[id] = true;
    adjacency[id].forEach(function (e) { shown[e.from] = true; shown[e.to] = true; });
    refresh();
  }

  // ------------------------------------------------------------ search
  function find(q) {
    q = (q || "").trim(); if (!q) return null;
    var hit = null;
    data.nodes.some(function (n) { if (n.search.indexOf(q) >= 0) { hit = n; return true; } return false; });
    if (!hit) data.nodes.some(function (n) {
      if (n.search.some(function (s) { return s.indexOf(q) >= 0; })) { hit = n; return true; } return false; });
    if (!hit) { el("status").textContent = "no actor matches " + q; return null; }
    hiddenTypes[hit.type] = false;
    el("types").querySelectorAll("input").forEach(function (b) { if (b.dataset.type === hit.type) b.checked = true; });
    showInfo(hit.id);
    if (hit.isolated) return hit.id;  // listed under "without facts", not drawn
    expand(hit.id);
    renderer.select(hit.id);
    renderer.focus(hit.id);
    return hit.id;
  }

  // ------------------------------------------------------------ controls
  function buildControls() {
    var types = el("types");
    data.types.forEach(function (t) {
      var lab = document.createElement("label"), box = document.createElement("input"), sw = document.createElement("span");
      box.type = "checkbox"; box.checked = true; box.dataset.type = t[0];
      box.addEventListener("change", function () { hiddenTypes[t[0]] = !box.checked; refresh(); });
      sw.className = "sw"; sw.style.background = t[1];
      lab.appendChild(box); lab.appendChild(sw); lab.appendChild(document.createTextNode(t[0]));
      types.appendChild(lab);
    });
    var from = el("date-from"), to = el("date-to"), label = el("date-label");
    if (data.dates.length > 1) {
      [from, to].forEach(function (r) { r.min = 0; r.max = data.dates.length - 1; });
      from.value = 0; to.value = data.dates.length - 1;
      var onDate = function () {
        var a = +from.value, b = +to.value;
        filter.from = Math.min(a, b); filter.to = Math.max(a, b);
        label.textContent = data.dates[filter.from] + " – " + data.dates[filter.to];
        refresh();
      };
      from.addEventListener("input", onDate); to.addEventListener("input", onDate);
      label.textContent = data.dates[0] + " – " + data.dates[data.dates.length - 1];
    } else {
      el("dates").hidden = true;
    }
    var select = el("document");
    var regions = {};
    data.documents.forEach(function (d) { if (d[2]) regions[d[2]] = true; });
    Object.keys(regions).sort().forEach(function (r) { select.appendChild(new Option("地区 " + r, r)); });
    data.documents.forEach(function (d) { select.appendChild(new Option(d[0] + (d[3] ? " " + d[3] : ""), d[0])); });
    select.addEventListener("change", function () { filter.document = select.value; refresh(); });
    var conf = el("confidence");
    if (data.edges.some(function (e) { return e.conf !== null; })) {
      conf.addEventListener("input", function () {
        filter.minConfidence = +conf.value;
        el("confidence-label").textContent = "≥ " + (+conf.value).toFixed(2);
        refresh();
      });
    } else {
      el("confidence-box").hidden = true;
    }
    el("go").addEventListener("click", function () { find(el("search").value); });
    el("search").addEventListener("keydown", function (e) { if (e.key === "Enter") find(e.target.value); });
    el("all").addEventListener("click", function () { data.nodes.forEach(function (n) { shown[n.id] = true; }); refresh(); });
    el("png").addEventListener("click", function () { download("policygraph.png", renderer.png()); });
    el("csv").addEventListener("click", function () {
      download("policygraph-facts.csv", URL.createObjectURL(new Blob(["\ufeff" + csv()], {type: "text/csv"})));
    });
    var groups = el("groups");
    data.groups.forEach(function (g) {
      var b = text("button", g[0] + " (" + g[1] + ")");
      b.type = "button"; b.title = "go to this group";
      b.addEventListener("click", function () { renderer.focus(g[2]); showInfo(g[2]); });
      groups.appendChild(b);
    });
    el("groups-box").hidden = !data.groups.length;
    var isolated = el("isolated");
    el("isolated-count").textContent = data.isolated.length;
    data.isolated.forEach(function (id) {
      var b = text("button", byId[id].label); b.type = "button";
      b.addEventListener("click", function () { showInfo(id); });
      isolated.appendChild(b);
    });
    el("isolated-box").hidden = !data.isolated.length;
  }

  // ------------------------------------------------------------ export
  function download(name, url) {
    var a = document.createElement("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  function csvField(v) {
    v = String(v === null || v === undefined ? "" : v);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;  // a spreadsheet must not take a cell for a formula
    return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function csv() {
    var rows = [["subject", "predicate", "object", "sentence", "document", "date", "confidence"]];
    visibleEdges().forEach(function (e) {
      var ev = e.ev.length ? e.ev : [["", -1]];
      ev.forEach(function (x) {
        var d = x[1] >= 0 ? data.documents[x[1]] : ["", ""];
        rows.push([byId[e.from].label, e.title, byId[e.to].label, x[0], d[0], d[1], e.conf === null ? "" : e.conf]);
      });
    });
    return rows.map(function (r) { return r.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  // ------------------------------------------------------------ start
  buildControls();
  var make = window.PGRenderers[data.renderer];
  renderer = make(el("net"), app);
  status();
  // what tests and users' scripts may call, whichever renderer draws
  window.pgView = {
    renderer: data.renderer, find: find, csv: csv, png: function () { return renderer.png(); },
    labels: function () { return renderer.labels(); },
    shown: function () { return {nodes: visibleNodes().length, edges: visibleEdges().length}; },
    selected: function () { return renderer.selected(); },
    position: function (id) { return renderer.position(id); }  // where on the page an actor is drawn
  };
  window.pgFind = find;
})();
