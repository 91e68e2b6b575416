// vis-network (the build pyvis ships) draws small views: shapes per type, edge labels, physics.
(function () {
  "use strict";
  window.PGRenderers = window.PGRenderers || {};
  window.PGRenderers.vis = function (container, app) {
    var data = app.data;
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      return {id: n.id, label: n.label, title: n.title, color: n.color, shape: n.shape, size: n.size,
              x: n.x, y: n.y, group: n.type, font: {size: 12, face: app.font}};
    }));
    var edges = new vis.DataSet(data.edges.map(function (e) {
      return {id: e.id, from: e.from, to: e.to, label: e.label, title: e.title};
    }));
    var byEdge = {}; data.edges.forEach(function (e) { byEdge[e.id] = e; });
    var nodeView = new vis.DataView(nodes, {filter: function (n) { return app.nodeVisible(n.id); }});
    var edgeView = new vis.DataView(edges, {filter: function (e) { return app.edgeVisible(byEdge[e.id]); }});
    var small = !data.large;
    var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, {
      layout: {improvedLayout: false},
      physics: {enabled: small, stabilization: {iterations: 150}, barnesHut: {springLength: 120}},
      interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: !small},
      edges: {arrows: "to", smooth: small ? {type: "continuous"} : false, font: {size: 10, align: "middle", face: app.font},
              color: {color: "#aaa", highlight: "#555"}},
      nodes: {borderWidth: 1}
    });
    window.pgNetwork = network;
    network.once("afterDrawing", function () { network.fit({animation: false}); window.pgDrawn = performance.now(); });
    var physics = document.getElementById("physics");
    physics.checked = small;
    physics.addEventListener("change", function () { network.setOptions({physics: {enabled: physics.checked}}); });
    network.on("click", function (p) { if (p.nodes.length) app.onClick(p.nodes[0]); });
    network.on("doubleClick", function (p) { if (p.nodes.length) app.onDoubleClick(p.nodes[0]); });
    return {
      refresh: function () { nodeView.refresh(); edgeView.refresh(); },
      select: function (id) { network.selectNodes([id]); },
      selected: function () { return network.getSelectedNodes(); },
      focus: function (id) { network.focus(id, {scale: 1.2, animation: false}); },
      labels: function () { return null; },  // vis-network draws every label of what is shown
      position: function (id) {
        var p = network.canvasToDOM(network.getPosition(id)), r = container.getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y};
      },
      png: function () {
        var src = container.querySelector("canvas"), out = document.createElement("canvas");
        out.width = src.width; out.height = src.height;
        var ctx = out.getContext("2d");
        ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, out.width, out.height); ctx.drawImage(src, 0, 0);
        return out.toDataURL("image/png");
      }
    };
  };
})();
