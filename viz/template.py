"""The HTML skeleton, page CSS and runtime script of an ecokg view page.

Only constants live here; :mod:`ecokg.viz.page` fills in escaped values. The runtime
script reads the JSON payload from ``<script type="application/json">``, builds the
tooltips as DOM elements via ``textContent`` (never ``innerHTML``), starts vis-network,
freezes the layout once stabilised and then sets ``document.body.dataset.ready = "1"``.
"""

from __future__ import annotations

import base64
import hashlib

#: Blocks every network fetch (defence in depth: the page needs none). Scripts run only if
#: their hash is listed (:func:`content_security_policy`), so an injected ``<script>`` or
#: ``onerror=`` attribute would not run even if escaping ever failed; styles stay inline
#: (the legend's colour swatches are style attributes, which cannot be hashed).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)


def script_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script text.

    >>> script_hash("alert(1)")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(*scripts: str) -> str:
    """The page's policy: no network, and only these inline scripts (by hash) may run."""
    return CONTENT_SECURITY_POLICY.format(scripts=" ".join(script_hash(s) for s in scripts) or "'none'")

PAGE_CSS = """
html, body { margin: 0; padding: 0; height: 100%; }
body {
  display: flex; flex-direction: column;
  font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC',
    'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif;
  color: #1f2328; background: #ffffff;
}
#ecokg-header { padding: 8px 16px 4px; border-bottom: 1px solid #d0d7de; }
#ecokg-header h1 { font-size: 20px; margin: 0 0 2px; }
#ecokg-header .ecokg-stats { margin: 0; font-size: 13px; color: #57606a; }
#ecokg-header .ecokg-rule { margin: 2px 0 0; font-size: 12px; color: #57606a; max-width: 1100px; }
#ecokg-notice {
  margin: 6px 0 2px; padding: 4px 8px; font-size: 13px; font-weight: 600;
  background: #fff8c5; border: 1px solid #d4a72c; border-radius: 4px; display: inline-block;
}
#ecokg-main { flex: 1; display: flex; min-height: 0; }
#ecokg-stage { flex: 1; position: relative; min-width: 0; }
#ecokg-network { position: absolute; inset: 0; }
#ecokg-legend {
  width: 220px; overflow-y: auto; padding: 8px 12px; font-size: 13px;
  border-left: 1px solid #d0d7de; background: #f6f8fa;
}
#ecokg-legend h2 { font-size: 14px; margin: 0 0 6px; }
#ecokg-legend ul { list-style: none; margin: 0; padding: 0; }
#ecokg-legend li { display: flex; align-items: center; gap: 6px; margin: 3px 0; }
#ecokg-legend .swatch {
  flex: none; width: 12px; height: 12px; border-radius: 50%; border: 1px solid #2b2b2b;
}
#ecokg-legend .swatch.line { border-radius: 0; height: 3px; border: none; }
#ecokg-legend .count { color: #57606a; margin-left: auto; }
#ecokg-progress {
  position: absolute; left: 50%; top: 45%; transform: translate(-50%, -50%);
  padding: 6px 12px; background: rgba(255,255,255,0.9); border: 1px solid #d0d7de;
  border-radius: 4px; font-size: 13px; z-index: 5;
}
body[data-ready="1"] #ecokg-progress { display: none; }
div.vis-tooltip {
  white-space: normal; max-width: 440px; font-size: 12px; line-height: 1.35;
  font-family: inherit; padding: 6px 8px;
}
.ecokg-tip-title { font-weight: 700; font-size: 13px; }
.ecokg-tip-class { color: #0969da; }
.ecokg-tip-id { color: #57606a; word-break: break-all; font-size: 11px; }
.ecokg-tip-section { font-weight: 600; margin-top: 4px; }
.ecokg-tip table { border-collapse: collapse; margin-top: 2px; }
.ecokg-tip th { text-align: left; padding: 0 6px 0 0; vertical-align: top; color: #57606a; font-weight: 500; }
.ecokg-tip td { padding: 0; word-break: break-word; }
.ecokg-tip blockquote { margin: 3px 0 0; padding-left: 6px; border-left: 3px solid #d0d7de; }
.ecokg-tip cite { display: block; font-style: normal; color: #57606a; font-size: 11px; }
.ecokg-tip-more { color: #57606a; font-style: italic; }
"""

RUNTIME_JS = r"""
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("ecokg-data").textContent);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function tooltip(t) {
    var root = el("div", "ecokg-tip");
    root.appendChild(el("div", "ecokg-tip-title", t.h));
    if (t.c) { root.appendChild(el("div", "ecokg-tip-class", t.c)); }
    if (t.id) { root.appendChild(el("div", "ecokg-tip-id", t.id)); }
    if (t.p && t.p.length) {
      var table = el("table");
      t.p.forEach(function (kv) {
        var row = el("tr");
        row.appendChild(el("th", null, kv[0]));
        row.appendChild(el("td", null, kv[1]));
        table.appendChild(row);
      });
      root.appendChild(table);
    }
    if (t.pm) { root.appendChild(el("div", "ecokg-tip-more", "+" + t.pm + " more properties")); }
    if (t.e && t.e.length) {
      root.appendChild(el("div", "ecokg-tip-section", "Evidence"));
      t.e.forEach(function (ev) {
        var quote = el("blockquote");
        quote.appendChild(el("div", "ecokg-tip-quote", "\u201c" + ev.q + "\u201d"));
        var where = [ev.s, ev.o ? "[" + ev.o + "]" : "", ev.b ? "(" + ev.b + ")" : ""]
          .filter(function (part) { return part; }).join(" ");
        if (where) { quote.appendChild(el("cite", null, where)); }
        root.appendChild(quote);
      });
    }
    if (t.em) { root.appendChild(el("div", "ecokg-tip-more", "+" + t.em + " more evidence")); }
    return root;
  }

  function withTooltips(records) {
    records.forEach(function (r) {
      if (r.tip) { r.title = tooltip(r.tip); delete r.tip; }
    });
    return records;
  }

  var nodes = new vis.DataSet(withTooltips(payload.nodes));
  var edges = new vis.DataSet(withTooltips(payload.edges));
  var container = document.getElementById("ecokg-network");
  var progress = document.getElementById("ecokg-progress");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);

  window.ecokgNetwork = network;
  window.ecokgNodes = nodes;
  window.ecokgEdges = edges;
  window.ecokgMeta = payload.meta;

  var done = false;
  function markReady() {
    if (done) { return; }
    done = true;
    network.setOptions({ physics: false });
    document.body.dataset.ready = "1";
  }
  network.on("stabilizationProgress", function (p) {
    if (progress && p.total) {
      progress.textContent = "Laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    }
  });
  network.once("stabilizationIterationsDone", markReady);
  if (nodes.length === 0) { markReady(); }
})();
"""
