// Hivemesh dashboard: renders the snapshots /ui/events sends. Every value goes into the DOM as text
// (textContent, createElement); no HTML is ever built from data.
(function () {
  'use strict';

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (className) { e.className = className; }
    return e;
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text === null || text === undefined ? '(unknown)' : String(text);
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function emptyRow(tbody, columns, text) {
    var tr = el('tr');
    var td = el('td', text, 'empty');
    td.colSpan = columns;
    tr.appendChild(td);
    tbody.appendChild(tr);
  }

  function row(cells) {
    var tr = el('tr');
    cells.forEach(function (c) {
      tr.appendChild(typeof c === 'object' && c !== null && c.nodeType ? c : el('td', c));
    });
    return tr;
  }

  function mebibytes(bytes) { return (Number(bytes) / 1048576).toFixed(0) + ' MiB'; }
  function cores(millis) { return (Number(millis) / 1000).toFixed(2); }

  function render(s) {
    var problems = document.getElementById('problems');
    clear(problems);
    (s.problems || []).forEach(function (p) { problems.appendChild(el('li', p)); });

    var node = s.node || {};
    setText('self-peer-id', node.peerId);
    setText('self-agent', node.agent);
    var addresses = document.getElementById('self-addresses');
    clear(addresses);
    (node.addresses || []).forEach(function (a) { addresses.appendChild(el('li', a)); });
    if (!(node.addresses || []).length) { addresses.appendChild(el('li', 'not listening', 'empty')); }

    var peers = document.getElementById('peers');
    clear(peers);
    (s.peers || []).forEach(function (p) {
      var tr = row([el('td', p.peerId, 'mono'), el('td', p.address, 'mono'), p.direction]);
      tr.className = 'peer';
      tr.dataset.peer = p.peerId;
      peers.appendChild(tr);
    });
    if (!(s.peers || []).length) { emptyRow(peers, 3, 'no connected peers'); }
    setText('peers-count', '(' + (s.peers || []).length + ')');

    var nodes = document.getElementById('nodes');
    clear(nodes);
    (s.nodes || []).forEach(function (n) {
      var tr = row([el('td', n.peer + (n.self ? ' (this node)' : ''), 'mono'),
        cores(n.freeCpuMillis) + ' / ' + cores(n.cpuMillis),
        mebibytes(n.freeMemoryBytes) + ' / ' + mebibytes(n.memoryBytes), n.replicas]);
      tr.className = 'mesh-node';
      tr.dataset.peer = n.peer;
      nodes.appendChild(tr);
    });
    if (!(s.nodes || []).length) { emptyRow(nodes, 4, 'no mesh nodes heard'); }
    setText('nodes-count', '(' + (s.nodes || []).length + ')');

    var workloads = document.getElementById('workloads');
    clear(workloads);
    (s.workloads || []).forEach(function (w) {
      var replicas = w.assignments || [];
      var head = [w.tenant, el('td', w.name, 'mono'), w.generation, w.running + '/' + w.replicas];
      if (!replicas.length) {
        var tr = row(head.concat(['', '', 'Pending', '']));
        tr.className = 'replica';
        tr.dataset.workload = w.name;
        tr.dataset.tenant = w.tenant;
        tr.dataset.state = '';
        workloads.appendChild(tr);
      }
      replicas.forEach(function (r, i) {
        var cells = i === 0 ? head.slice() : ['', '', '', ''];
        var state = el('td', r.state + (r.reason ? ' (' + r.reason + ')' : ''), 'state-' + r.state);
        cells = cells.concat([String(r.index) + (r.generation !== w.generation ? ' (gen ' + r.generation + ')' : ''),
          el('td', r.node, 'mono'), state, (r.ports || []).join(', ')]);
        var tr = row(cells);
        tr.className = 'replica';
        tr.dataset.workload = w.name;
        tr.dataset.tenant = w.tenant;
        tr.dataset.index = String(r.index);
        tr.dataset.generation = String(r.generation);
        tr.dataset.state = r.state;
        workloads.appendChild(tr);
      });
    });
    if (!(s.workloads || []).length) { emptyRow(workloads, 8, 'no workloads'); }
    setText('workloads-count', '(' + (s.workloads || []).length + ')');

    var t = s.transfers || {};
    setText('transfers', t.text || ((t.active || []).length ? (t.active.length + ' active') : 'none'));
  }

  var source = null;
  var retryTimer = null;

  function status(state, text) {
    var c = document.getElementById('connection');
    c.dataset.state = state;
    c.textContent = text;
  }

  function connect() {
    retryTimer = null;
    source = new EventSource('events');
    source.addEventListener('open', function () { status('live', 'live'); });
    source.addEventListener('snapshot', function (e) {
      var s;
      try { s = JSON.parse(e.data); } catch (err) { status('error', 'unreadable update: ' + err); return; }
      render(s);
      window.hivemeshDashboard.snapshots++;
      status('live', 'live (updated ' + new Date().toLocaleTimeString() + ')');
    });
    source.addEventListener('error', function () {
      if (source.readyState === EventSource.CLOSED) {
        // refused (e.g. 503 when the node serves its most live clients): try again later
        status('retrying', 'disconnected; retrying in 5 s');
        source.close();
        if (retryTimer === null) { retryTimer = setTimeout(connect, 5000); }
      } else {
        status('retrying', 'reconnecting…');
      }
    });
  }

  window.hivemeshDashboard = { render: render, snapshots: 0 };
  connect();
}());
