// Draws the workflow diagram from the Mermaid text the server generated (no inline script: CSP).
(function () {
  "use strict";
  if (!window.mermaid) { return; }
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
  window.mermaid.run({ querySelector: "pre.mermaid" }).catch(function (error) {
    // the text stays visible under "Texte du schéma": nothing is lost if drawing fails
    if (window.console) { window.console.error(error); }
  });
})();
