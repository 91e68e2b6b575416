(function () {
  "use strict";
  // canvas labels need the CJK fonts named too: the page's CSS does not reach the canvas
  var FONT_FACE = getComputedStyle(document.body).fontFamily;
  var data = JSON.parse(document.getElementById("pg-data").textContent);
  var shown = {}, hiddenTypes = {};
  data.nodes.forEach(function (n) { if (n.shown) shown[n.id] = true; });
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return {id: n.id, label: n.label, title: n.title, color: n.color, shape: n.shape, size: n.size,
            x: n.x, y: n.y, group: n.type, font: {size: 12, face: FONT_FACE}};
  }));
  var edges = new vis.DataSet(data.edges);
  var byId = {}; data.nodes.forEach(function (n) { byId[n.id] = n; });
  var nodeView = new vis.DataView(nodes, {filter: function (n) {
    return shown[n.id] && !hiddenTypes[byId[n.id].type];
  }});
  var edgeView = new vis.DataView(edges, {filter: function (e) {
    return shown[e.from] && shown[e.to] && !hiddenTypes[byId[e.from].type] && !hiddenTypes[byId[e.to].type];
  }});
  var small = !data.large;
  var options = {
    layout: {improvedLayout: false},
    physics: {enabled: small, stabilization: {iterations: 150}, barnesHut: {springLength: 120}},
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.large},
    edges: {arrows: "to", smooth: small ? {type: "continuous"} : false, font: {size: 10, align: "middle", face: FONT_FACE},
            color: {color: "#aaa", highlight: "#555"}},
    nodes: {borderWidth: 1}
  };
  var network = new vis.Network(document.getElementById("net"), {nodes: nodeView, edges: edgeView}, options);
  window.pgNetwork = network;
  network.once("afterDrawing", function () { window.pgDrawn = performance.now(); });
  document.getElementById("physics").checked = small;

  function status() {
    document.getElementById("status").textContent =
      nodeView.length + " / " + data.nodes.length + " actors shown, " + edgeView.length + " facts";
  }
  function refresh() { nodeView.refresh(); edgeView.refresh(); status(); }

  var types = document.getElementById("types");
  data.types.forEach(function (t) {
    var lab = document.createElement("label"), box = document.createElement("input"), sw = document.createElement("span");
    box.type = "checkbox"; box.checked = true; box.dataset.type = t[0];
    box.addEventListener("change", function () { hiddenTypes[t[0]] = !box.checked; refresh(); });
    sw.className = "sw"; sw.style.background = t[1];
    lab.appendChild(box); lab.appendChild(sw); lab.appendChild(document.createTextNode(t[0]));
    types.appendChild(lab);
  });

  function neighbours(id) {
    var out = [];
    data.edges.forEach(function (e) { if (e.from === id) out.push(e.to); else if (e.to === id) out.push(e.from); });
    return out;
  }
  function expand(id) { shown[id] = true; neighbours(id).forEach(function (m) { shown[m] = true; }); refresh(); }

  function text(tag, content, cls) {
    var el = document.createElement(tag); el.textContent = content; if (cls) el.className = cls; return el;
  }
  function showInfo(id) {
    var n = byId[id], box = document.getElementById("info");
    box.replaceChildren();
    box.appendChild(text("h3", n.label));
    box.appendChild(text("div", n.type));
    if (n.info.aliases.length) box.appendChild(text("div", "别名: " + n.info.aliases.join("、")));
    if (n.info.amounts.length) box.appendChild(text("div", "投资额: " + n.info.amounts.join(", ")));
    if (n.info.dates.length) box.appendChild(text("div", "日期: " + n.info.dates.join(", ")));
    n.info.evidence.forEach(function (ev) {
      var d = text("div", "", "ev");
      d.appendChild(text("b", ev[0])); d.appendChild(document.createElement("br"));
      d.appendChild(text("span", ev[1])); d.appendChild(text("div", ev[2], "doc"));
      box.appendChild(d);
    });
    if (n.info.documents.length) box.appendChild(text("div", "文档: " + n.info.documents.join(", "), "doc"));
  }
  network.on("click", function (p) { if (p.nodes.length) showInfo(p.nodes[0]); });
  network.on("doubleClick", function (p) { if (p.nodes.length) expand(p.nodes[0]); });

  function find(q) {
    q = (q || "").trim(); if (!q) return null;
    var hit = null;
    data.nodes.some(function (n) { if (n.search.indexOf(q) >= 0) { hit = n; return true; } return false; });
    if (!hit) data.nodes.some(function (n) {
      if (n.search.some(function (s) { return s.indexOf(q) >= 0; })) { hit = n; return true; } return false; });
    if (!hit) { document.getElementById("status").textContent = "no actor matches " + q; return null; }
    hiddenTypes[hit.type] = false;
    types.querySelectorAll("input").forEach(function (b) { if (b.dataset.type === hit.type) b.checked = true; });
    expand(hit.id);
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.2, animation: false});
    showInfo(hit.id);
    return hit.id;
  }
  window.pgFind = find;
  document.getElementById("go").addEventListener("click", function () { find(document.getElementById("search").value); });
  document.getElementById("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") find(e.target.value); });
  document.getElementById("physics").addEventListener("change", function (e) {
    network.setOptions({physics: {enabled: e.target.checked}}); });
  document.getElementById("all").addEventListener("click", function () {
    data.nodes.forEach(function (n) { shown[n.id] = true; }); refresh(); });
  status();
})();
