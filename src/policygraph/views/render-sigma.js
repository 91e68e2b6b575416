// sigma.js (WebGL, over a graphology graph) draws large views: it stays fluid at 50,000 actors.
// Labels: sigma proposes the largest actors of each grid cell; we draw them after each frame,
// most central first, skipping any that would overlap one already drawn, so that labels never
// collide and more appear as the user zooms in.
(function () {
  "use strict";
  var LABEL_SIZE = 13;  // px: legible on every screen
  window.PGRenderers = window.PGRenderers || {};
  window.PGRenderers.sigma = function (container, app) {
    var data = app.data;
    var graph = new graphology.MultiDirectedGraph();
    var rank = {};
    data.nodes.forEach(function (n) {
      rank[n.id] = n.size;
      // sigma's y axis points up, the layout's down
      graph.addNode(String(n.id), {x: n.x, y: -n.y, size: n.dot, color: n.color, label: n.label,
                                   forceLabel: n.head || false});
    });
    var arrows = data.edges.length <= 20000;  // arrow heads cost a second program: dropped on huge views
    data.edges.forEach(function (e) {
      graph.addDirectedEdgeWithKey(String(e.id), String(e.from), String(e.to),
                                   {size: 1, color: "#c8c8c8", type: arrows ? "arrow" : "line"});
    });
    var byEdge = {}; data.edges.forEach(function (e) { byEdge[e.id] = e; });
    var selected = null, candidates = [], drawn = [];
    var renderer = new Sigma(graph, container, {
      labelFont: app.font, labelSize: LABEL_SIZE, labelWeight: "normal", labelColor: {color: "#222"},
      labelDensity: 1, labelGridCellSize: 70, labelRenderedSizeThreshold: 0,
      defaultEdgeType: arrows ? "arrow" : "line", renderEdgeLabels: false,
      nodeReducer: function (key, attrs) {
        if (!app.nodeVisible(+key)) return Object.assign({}, attrs, {hidden: true});
        if (+key === selected) return Object.assign({}, attrs, {highlighted: true});
        return attrs;
      },
      edgeReducer: function (key, attrs) {
        return app.edgeVisible(byEdge[key]) ? attrs : Object.assign({}, attrs, {hidden: true});
      },
      defaultDrawNodeLabel: function (context, d) {
        if (d.label) candidates.push({id: +d.key, label: d.label, x: d.x, y: d.y, size: d.size, force: d.forceLabel});
      }
    });
    renderer.on("beforeRender", function () { candidates = []; });
    renderer.on("afterRender", function () {
      var ctx = renderer.getCanvases().labels.getContext("2d");
      ctx.font = "normal " + LABEL_SIZE + "px " + app.font;
      ctx.fillStyle = "#222";
      var w = renderer.getDimensions().width, h = renderer.getDimensions().height;
      candidates.sort(function (a, b) {
        return ((b.force ? 1 : 0) - (a.force ? 1 : 0)) || (rank[b.id] - rank[a.id]) || (a.id - b.id);
      });
      drawn = [];
      candidates.forEach(function (c) {
        var box = {x: c.x + c.size + 3, y: c.y - LABEL_SIZE * 0.75, w: ctx.measureText(c.label).width, h: LABEL_SIZE};
        if (box.x < 0 || box.x + box.w > w || box.y < 0 || box.y + box.h > h) return;  // whole, or not at all
        for (var i = 0; i < drawn.length; i++) {
          var o = drawn[i];
          if (box.x < o.x + o.w + 2 && o.x < box.x + box.w + 2 && box.y < o.y + o.h + 1 && o.y < box.y + box.h + 1) return;
        }
        ctx.fillText(c.label, box.x, c.y + LABEL_SIZE / 3);
        box.label = c.label; box.size = LABEL_SIZE;
        drawn.push(box);
      });
      if (window.pgDrawn === undefined) window.pgDrawn = performance.now();
    });
    renderer.on("clickNode", function (e) { app.onClick(+e.node); });
    renderer.on("doubleClickNode", function (e) { e.preventSigmaDefault(); app.onDoubleClick(+e.node); });
    window.pgSigma = renderer;
    renderer.render();  // sigma drew once while constructed, before the label pass above was attached
    document.getElementById("physics-box").hidden = true;  // positions come from the layout
    return {
      refresh: function () { renderer.refresh(); },
      select: function (id) { selected = id; renderer.refresh(); },
      selected: function () { return selected === null ? [] : [selected]; },
      focus: function (id) {
        var d = renderer.getNodeDisplayData(String(id));
        if (d) renderer.getCamera().setState({x: d.x, y: d.y, ratio: 0.15});
      },
      position: function (id) {
        var v = renderer.framedGraphToViewport(renderer.getNodeDisplayData(String(id)));
        var r = container.getBoundingClientRect();
        return {x: r.left + v.x, y: r.top + v.y};
      },
      labels: function () { return drawn.map(function (b) { return Object.assign({}, b); }); },
      png: function () {
        renderer.render();  // draw now: WebGL buffers are only readable in the task that drew them
        var layers = renderer.getCanvases(), first = layers.edges, out = document.createElement("canvas");
        out.width = first.width; out.height = first.height;
        var ctx = out.getContext("2d");
        ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, out.width, out.height);
        ["edges", "nodes", "labels", "hovers"].forEach(function (k) { if (layers[k]) ctx.drawImage(layers[k], 0, 0); });
        return out.toDataURL("image/png");
      }
    };
  };
})();
