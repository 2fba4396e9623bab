/// The little script the pages use. Everything works without it; with it, the navigation folds into a
/// menu on a phone (the NHS.UK header pattern).
enum PageScript {
    static let javascript = """
    "use strict";
    document.documentElement.classList.add("js");
    document.addEventListener("DOMContentLoaded", function () {
      if (window.matchMedia("(min-width: 40.0625em)").matches) {
        document.querySelectorAll("details.more-filters").forEach(function (panel) { panel.open = true; });
      }
      var toggle = document.querySelector(".menu-toggle");
      var navigation = document.getElementById("main-nav");
      if (!toggle || !navigation) { return; }
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        navigation.classList.toggle("open", open);
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
          toggle.setAttribute("aria-expanded", "false");
          navigation.classList.remove("open");
          toggle.focus();
        }
      });
    });
    """
}
