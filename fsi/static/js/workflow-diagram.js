// Draws the workflow diagram from the Mermaid text the server generated (no inline script: CSP).
(function () {
  "use strict";
  if (!window.mermaid) { return; }
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral",
    state: { useMaxWidth: true } });
  window.mermaid.run({ querySelector: "pre.mermaid" }).then(function () {
    // bring the highlighted (current) state into view in the scrollable diagram
    var current = document.querySelector("pre.mermaid .s_active");
    if (current && current.scrollIntoView) {
      current.scrollIntoView({ block: "nearest", inline: "center" });
    }
  }).catch(function (error) {
    // the text stays available under "Texte du schéma": nothing is lost if drawing fails
    if (window.console) { window.console.error(error); }
  });
})();
