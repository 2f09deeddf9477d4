// Admin page: an IVR script's flow diagram, drawn as SVG in the page from the graph the API returns (GET /api/ivr/{id}
// and POST /api/ivr/validate: "flow", built from the validator's own model). Nodes are laid out in rows by their
// distance from the entry node (file order within a row); nodes no call reaches come last, dashed; a target nothing
// defines is a dashed red box; a node with problems is red and lists them on hover and in its label. Clicking a node
// (or Enter on it) selects its line in the editor. #flowText says the same in words for screen readers.
'use strict';
const HotlineFlow = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 156, H = 46, GAP_X = 34, GAP_Y = 64, PAD = 20;
  const FILL = { menu: '#e7f0fb', input: '#e7f0fb', survey: '#e7f0fb', queue: '#e3f3e8', transfer: '#e3f3e8',
    voicemail: '#e3f3e8', hangup: '#eceef1', goto: '#eceef1', hours: '#fff1cc', branch: '#fff1cc', lookup: '#f2e9fb' };
  const el = (name, attrs, parent) => {
    const e = document.createElementNS(NS, name);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (parent) parent.appendChild(e);
    return e;
  };

  /** Rows by distance from the entry (breadth first); unreached nodes after the last row, missing ones under their first source. */
  const layout = flow => {
    const out = new Map(flow.nodes.map(n => [n.name, []]));
    flow.edges.forEach(e => { if (out.has(e.from)) out.get(e.from).push(e.to); });
    const rank = new Map();
    if (out.has(flow.entry)) {
      rank.set(flow.entry, 0);
      const todo = [flow.entry];
      while (todo.length) {
        const n = todo.shift();
        for (const t of out.get(n) || []) if (!rank.has(t) && out.has(t)) { rank.set(t, rank.get(n) + 1); todo.push(t); }
      }
    }
    const last = Math.max(-1, ...rank.values());
    flow.nodes.filter(n => !rank.has(n.name) && !n.missing).forEach(n => rank.set(n.name, last + 1));
    flow.nodes.filter(n => n.missing).forEach(n => {
      const from = flow.edges.find(e => e.to === n.name);
      rank.set(n.name, from && rank.has(from.from) ? rank.get(from.from) + 1 : last + 2);
    });
    const rows = [];
    flow.nodes.slice().sort((a, b) => (a.missing - b.missing) || (a.line - b.line)).forEach(n => {
      const r = rank.get(n.name);
      (rows[r] = rows[r] || []).push(n);
    });
    const pos = new Map();
    const widest = Math.max(1, ...rows.filter(Boolean).map(r => r.length));
    rows.forEach((row, r) => {
      if (!row) return;
      const offset = (widest - row.length) * (W + GAP_X) / 2;
      row.forEach((n, i) => pos.set(n.name, { x: PAD + offset + i * (W + GAP_X), y: PAD + r * (H + GAP_Y) }));
    });
    return { pos, width: 2 * PAD + widest * (W + GAP_X), height: 2 * PAD + rows.length * (H + GAP_Y) };
  };

  const draw = (flow, onNode) => {
    const box = document.getElementById('flow');
    const text = document.getElementById('flowText');
    box.replaceChildren(); text.replaceChildren();
    if (!flow || !flow.nodes.length) { box.textContent = 'No flow to draw: the script could not be read (see its problems).'; return; }
    const { pos, width, height } = layout(flow);
    const svg = el('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'group', 'aria-label': 'flow of the script' });
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#4f5663' }, marker);
    const edges = el('g', { 'aria-hidden': 'true' }, svg);
    // Two ways to the same node (key 1 and on_failure, say) are one arrow with both labels.
    const joined = new Map();
    flow.edges.forEach(e => {
      const k = e.from + '\u0000' + e.to;
      if (joined.has(k)) joined.get(k).label += ', ' + e.label; else joined.set(k, Object.assign({}, e));
    });
    [...joined.values()].forEach((e, i) => {
      const a = pos.get(e.from), b = pos.get(e.to);
      if (!a || !b) return;
      const down = b.y > a.y;
      const x1 = a.x + W / 2, y1 = down ? a.y + H : a.y + H / 2, x2 = b.x + W / 2, y2 = down ? b.y : b.y + H / 2;
      // A way back up (a loop, a retry) goes round the side so it does not cross the boxes.
      const d = down ? 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + (y1 + GAP_Y / 2) + ' ' + x2 + ',' + (y2 - GAP_Y / 2) + ' ' + x2 + ',' + y2
        : 'M' + (a.x + W) + ',' + y1 + ' C' + (a.x + W + 60 + i % 3 * 12) + ',' + y1 + ' ' + (b.x + W + 60 + i % 3 * 12) + ',' + y2 + ' ' + (b.x + W) + ',' + y2;
      el('path', { d, fill: 'none', stroke: '#4f5663', 'stroke-width': 1.3, 'marker-end': 'url(#arrow)',
        'stroke-dasharray': down ? '' : '4 3' }, edges);
      const lx = down ? (x1 + x2) / 2 : a.x + W + 40, ly = down ? (y1 + y2) / 2 : (y1 + y2) / 2;
      const label = e.label.length > 22 ? e.label.slice(0, 21) + '…' : e.label;
      const t = el('text', { x: lx, y: ly + 4, 'text-anchor': 'middle', fill: '#1d2330', 'font-size': 11 }, edges);
      t.textContent = label;
      const bb = label.length * 6 + 6;
      edges.insertBefore(el('rect', { x: lx - bb / 2, y: ly - 8, width: bb, height: 15, fill: '#fff', opacity: 0.9 }), t);
    });
    flow.nodes.forEach(n => {
      const p = pos.get(n.name);
      if (!p) return;
      const errors = n.problems.filter(x => x.severity === 'error').length;
      const warnings = n.problems.length - errors;
      const g = el('g', { id: 'flow-node-' + n.name, class: 'flow-node' + (errors ? ' has-errors' : '') + (n.missing ? ' missing' : ''),
        tabindex: n.missing ? -1 : 0, role: n.missing ? 'img' : 'button' }, svg);
      const kindText = n.missing ? 'missing' : n.type + (errors ? ' · ' + errors + (errors === 1 ? ' error' : ' errors')
        : warnings ? ' · ' + warnings + (warnings === 1 ? ' warning' : ' warnings') : '');
      const shortName = n.name.length > 20 ? n.name.slice(0, 19) + '…' : n.name;
      // The label starts with the words drawn in the box (so what a person sees is what a screen reader says first).
      const described = shortName + ' ' + kindText + ', ' + (n.missing ? 'no node has this name' : 'line ' + n.line)
        + (n.name === flow.entry ? ', entry' : '') + (!n.reachable && !n.missing ? ', no call reaches it' : '')
        + (n.problems.length ? ', ' + n.problems.map(x => x.message).join('; ') : '');
      g.setAttribute('aria-label', described);
      el('title', {}, g).textContent = described;
      el('rect', { x: p.x, y: p.y, width: W, height: H, rx: 6, fill: n.missing ? '#fff' : (FILL[n.type] || '#f7f7f9'),
        stroke: errors || n.missing ? '#b00020' : warnings ? '#9a6700' : n.name === flow.entry ? '#0b5cad' : '#4f5663',
        'stroke-width': errors || n.name === flow.entry ? 3 : 1.5, 'stroke-dasharray': !n.reachable || n.missing ? '5 4' : '' }, g);
      const words = el('text', { x: p.x + 8, y: p.y + 18, fill: '#1d2330' }, g);
      el('tspan', { 'font-weight': 600 }, words).textContent = shortName;
      el('tspan', { x: p.x + 8, dy: 18, 'font-size': 11, fill: errors || n.missing ? '#8f0014' : '#4f5663' }, words)
        .textContent = ' ' + kindText;
      if (!n.missing) {
        g.style.cursor = 'pointer';
        g.addEventListener('click', () => onNode(n.line));
        g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onNode(n.line); } });
      }
      const li = document.createElement('li');
      li.textContent = described + '; goes to ' + (flow.edges.filter(e => e.from === n.name).map(e => e.to + ' (' + e.label + ')').join(', ') || 'nothing (ends the script)');
      text.appendChild(li);
    });
    box.appendChild(svg);
  };
  return { draw };
})();
