(function () {
  var texts = JSON.parse(document.getElementById("texts").textContent);
  var q = document.getElementById("q"), msg = document.getElementById("msg"), out = document.getElementById("out");
  document.getElementById("canned").addEventListener("change", function (e) { if (texts[e.target.value]) q.value = texts[e.target.value]; });
  document.getElementById("run").addEventListener("click", function () {
    msg.textContent = "…"; out.replaceChildren();
    fetch("sparql", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
      "Accept": "application/sparql-results+json"}, body: "query=" + encodeURIComponent(q.value)})
    .then(function (r) { return r.text().then(function (t) { return [r, t]; }); })
    .then(function (rt) {
      var r = rt[0], t = rt[1];
      if (!r.ok) { msg.textContent = r.status + " " + t; return; }
      if ((r.headers.get("Content-Type") || "").indexOf("json") < 0) { var pre = document.createElement("pre");
        pre.textContent = t; out.appendChild(pre); msg.textContent = ""; return; }
      var data = JSON.parse(t);
      if ("boolean" in data) { msg.textContent = String(data.boolean); return; }
      var table = document.createElement("table"), head = document.createElement("tr");
      data.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
      table.appendChild(head);
      data.results.bindings.forEach(function (b) { var tr = document.createElement("tr");
        data.head.vars.forEach(function (v) { var td = document.createElement("td"); td.textContent = b[v] ? b[v].value : ""; tr.appendChild(td); });
        table.appendChild(tr); });
      out.appendChild(table);
      msg.textContent = data.results.bindings.length + " rows" + (r.headers.get("X-Result-Truncated") ? " (cut)" : "");
    }).catch(function (e) { msg.textContent = String(e); });
  });
})();
