// Committee session, live: show the item under discussion without reloading (polls every 5 s).
(function () {
  "use strict";
  var box = document.getElementById("live-item");
  if (!box || !window.fetch) { return; }
  var last = null;

  function render(data) {
    var key = JSON.stringify(data);
    if (key === last) { return; }
    last = key;
    box.textContent = "";
    var p = document.createElement("p");
    if (data.status === "closed") {
      p.textContent = box.dataset.labelClosed;
    } else if (data.recused) {
      p.textContent = box.dataset.labelRecused;
    } else if (data.item) {
      var h = document.createElement("h2");
      h.textContent = box.dataset.labelItem + " " + data.item.position;
      box.appendChild(h);
      p.textContent = data.item.reference + " — " + data.item.title + (data.item.outcome ? " (" + data.item.outcome + ")" : "");
    } else {
      p.textContent = box.dataset.labelNone;
    }
    box.appendChild(p);
  }

  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }

  window.setInterval(poll, 5000);
}());
