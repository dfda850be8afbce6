// ecokg explorer: type-ahead, colour dots and the graph panel. No framework, no build step.
// Every text from the graph is set with textContent (never as markup), so names show as text.
"use strict";

(function () {
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // -- colours (from data-colour: inline styles are not allowed by the page's policy) --------------
  function paint(root) {
    for (const e of root.querySelectorAll("[data-colour]")) {
      const c = e.dataset.colour;
      if (/^#[0-9a-fA-F]{3,8}$/.test(c)) {
        if (e.classList.contains("dot")) e.style.backgroundColor = c;
        else e.style.borderColor = c;
      }
    }
  }

  // -- type-ahead ----------------------------------------------------------------------------------
  function suggest(input) {
    const api = input.dataset.suggest;
    const navigate = input.id === "q";  // the header's box opens the page; form fields take the name
    const list = el("ul", "suggestions");
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-autocomplete", "list");
    input.insertAdjacentElement("afterend", list);
    input.parentElement.classList.add("suggest-host");
    let timer = null, seq = 0, active = -1;

    function close() { list.hidden = true; list.replaceChildren(); active = -1; }
    function pick(item) {
      if (navigate) { window.location.href = item.url; return; }
      input.value = item.name;
      close();
    }
    function mark(i) {
      const items = list.querySelectorAll("li");
      items.forEach((li, j) => li.classList.toggle("active", j === i));
      active = i;
    }
    async function load() {
      const q = input.value.trim();
      if (!q) { close(); return; }
      const mine = ++seq;
      const params = new URLSearchParams({ q: q });
      if (input.dataset.classes) params.set("classes", input.dataset.classes);
      let data;
      try {
        const r = await fetch(api + "?" + params.toString(), { headers: { Accept: "application/json" } });
        data = await r.json();
      } catch (e) { return; }
      if (mine !== seq) return;  // a later keystroke has its own answer
      list.replaceChildren();
      for (const item of data.results || []) {
        const li = el("li", "suggestion");
        li.setAttribute("role", "option");
        const a = el("a", "entity");
        a.href = item.url;
        const dot = el("span", "dot");
        dot.dataset.colour = item.colour || "";
        a.append(dot, el("span", "name", item.name), el("span", "muted", " " + item.cls +
          (item.value !== item.name ? " · " + item.value : "")));
        a.addEventListener("click", (ev) => { ev.preventDefault(); pick(item); });
        li.append(a);
        list.append(li);
      }
      paint(list);
      list.hidden = list.children.length === 0;
      active = -1;
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 120); });
    input.addEventListener("keydown", (ev) => {
      const items = list.querySelectorAll("li a");
      if (list.hidden || !items.length) return;
      if (ev.key === "ArrowDown") { ev.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); items[active].click(); }
      else if (ev.key === "Escape") { close(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 200));
  }

  // -- the graph panel -----------------------------------------------------------------------------
  function graphPanel(box) {
    if (!window.vis) { box.textContent = "The graph needs vis-network, which did not load."; return; }
    const api = box.dataset.api;
    const info = document.getElementById("graph-info");
    const moreButton = document.getElementById("graph-more");
    const classBox = document.getElementById("class-filter");
    const basisBox = document.getElementById("basis-filter");
    const nodes = new vis.DataSet();
    const edges = new vis.DataSet();
    const state = { expanded: new Set(), offsets: {}, more: {}, last: null, classes: new Set(), centre: null };

    const network = new vis.Network(box, { nodes: nodes, edges: edges }, {
      nodes: { shape: "dot", size: 12, font: { size: 13 } },
      edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, font: { size: 10, align: "middle" },
               color: { color: "#999999" }, smooth: { type: "continuous" } },
      physics: { stabilization: { iterations: 150 }, barnesHut: { springLength: 120 } },
      interaction: { hover: true, tooltipDelay: 150 },
    });

    function keyOf(id) { const n = nodes.get(id); return n ? n.key : null; }
    function tooltip(text) { const t = el("div", "tip", text); return t; }

    function addData(data) {
      for (const n of data.nodes) {
        if (!nodes.get(n.id)) {
          nodes.add({ id: n.id, key: n.key, label: n.label, cls: n.cls, color: n.colour,
                      title: tooltip(n.label + " (" + n.cls + ")") });
        }
        if (!state.classes.has(n.cls)) { state.classes.add(n.cls); addClassFilter(n.cls); }
      }
      for (const e of data.edges) {
        const id = e.from + "|" + e.relation + "|" + e.label + "|" + e.to;
        if (!edges.get(id)) {
          edges.add({ id: id, from: e.from, to: e.to, label: e.label, relation: e.relation, bases: e.bases,
                      title: tooltip(e.relation + (e.bases.length ? " · " + e.bases.join(", ") : "")) });
        }
      }
      const m = data.more;
      state.more[data.center] = m;
      state.offsets[data.center] = data.offset + data.nodes.length - 1;
      state.last = data.center;
      filter();
      status();
    }

    function status() {
      const m = state.more[state.last] || 0;
      info.textContent = nodes.length + " nodes, " + edges.length + " links shown";
      moreButton.hidden = m <= 0;
      moreButton.textContent = m + " more around " + ((nodes.get(state.last) || {}).label || "");
    }

    async function expand(id, offset) {
      const key = keyOf(id) || id;
      const params = new URLSearchParams({ limit: "30", offset: String(offset || 0) });
      const r = await fetch(api + encodeURI(key) + "?" + params.toString(), { headers: { Accept: "application/json" } });
      if (!r.ok) { info.textContent = "could not load the neighbours (" + r.status + ")"; return; }
      const data = await r.json();
      state.expanded.add(data.center);
      addData(data);
      box.dataset.expanded = String(state.expanded.size);
    }

    function checked(fieldset) {
      return new Set(Array.from(fieldset.querySelectorAll("input:checked")).map((i) => i.value));
    }

    function addClassFilter(cls) {
      const label = el("label");
      const input = el("input");
      input.type = "checkbox"; input.value = cls; input.checked = true;
      input.addEventListener("change", filter);
      label.append(input, document.createTextNode(" " + cls + " "));
      classBox.append(label);
    }

    function filter() {
      const classes = checked(classBox), bases = checked(basisBox);
      const edgeUpdates = [], seen = new Set([state.centre]);
      edges.forEach((e) => {
        const hidden = e.bases.length > 0 && !e.bases.some((b) => bases.has(b));
        edgeUpdates.push({ id: e.id, hidden: hidden });
        if (!hidden) { seen.add(e.from); seen.add(e.to); }
      });
      edges.update(edgeUpdates);
      const nodeUpdates = [];
      nodes.forEach((n) => {
        nodeUpdates.push({ id: n.id, hidden: n.id !== state.centre && (!classes.has(n.cls) || !seen.has(n.id)) });
      });
      nodes.update(nodeUpdates);
    }

    for (const input of basisBox.querySelectorAll("input")) input.addEventListener("change", filter);
    moreButton.addEventListener("click", () => {
      if (state.last) expand(state.last, state.offsets[state.last] || 0);
    });
    network.on("click", (params) => {
      if (params.nodes.length === 1 && !state.expanded.has(params.nodes[0])) expand(params.nodes[0], 0);
    });
    network.on("doubleClick", (params) => {
      if (params.nodes.length === 1) window.location.href = "/entity/" + encodeURI(keyOf(params.nodes[0]));
    });
    network.once("stabilizationIterationsDone", () => network.fit());
    network.once("stabilized", () => { box.dataset.ready = "yes"; });

    // for people and tests: where a node is drawn, in page coordinates
    window.ecokgGraph = {
      network: network, nodes: nodes, edges: edges, expand: expand,
      pagePosition: function (id) {
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const r = box.getBoundingClientRect();
        return { x: r.left + p.x + window.scrollX, y: r.top + p.y + window.scrollY };
      },
    };
    state.centre = null;
    fetch(api + encodeURI(box.dataset.key) + "?limit=30", { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((data) => {
        state.centre = data.center;
        state.expanded.add(data.center);
        addData(data);
        box.dataset.loaded = "yes";
        box.dataset.expanded = "1";
        setTimeout(() => { box.dataset.ready = "yes"; }, 1500);
      })
      .catch(() => { info.textContent = "could not load the graph"; });
  }

  // -- the paths between two entities, drawn -------------------------------------------------------
  function pathGraph(box) {
    if (!window.vis) return;
    fetch(box.dataset.api, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((data) => {
        const nodes = new vis.DataSet(data.nodes.map((n) => ({
          id: n.id, label: n.label, color: n.colour, size: n.end ? 18 : 11, key: n.key,
          title: el("div", "tip", n.label + " (" + n.cls + ")") })));
        const edges = new vis.DataSet(data.edges.map((e, i) => ({
          id: i, from: e.from, to: e.to, label: e.label,
          title: el("div", "tip", e.relation + (e.bases.length ? " · " + e.bases.join(", ") : "") +
                                  (e.quote ? " · «" + e.quote + "»" : "")) })));
        const network = new vis.Network(box, { nodes: nodes, edges: edges }, {
          nodes: { shape: "dot", font: { size: 13 } },
          edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, font: { size: 10, align: "middle" },
                   color: { color: "#999999" } },
          layout: { improvedLayout: true },
        });
        network.on("doubleClick", (p) => {
          if (p.nodes.length === 1) {
            const n = nodes.get(p.nodes[0]);
            if (n && n.key) window.location.href = "/entity/" + encodeURI(n.key);
          }
        });
        box.dataset.loaded = "yes";
      })
      .catch(() => { box.textContent = "could not load the paths"; });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const paths = document.getElementById("pathgraph");
    if (paths) pathGraph(paths);
    paint(document);
    for (const input of document.querySelectorAll("input[data-suggest]")) suggest(input);
    const box = document.getElementById("graph");
    if (box) graphPanel(box);
  });
})();
