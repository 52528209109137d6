// crosswire: the little script the pages use (served from this server; the Content-Security-
// Policy allows no other). On the compare page, pointing at a shared item lights up every place
// both articles mention it.
"use strict";
(function () {
  function sameKey(key) {
    return Array.prototype.filter.call(document.querySelectorAll("[data-key]"), function (el) {
      return el.dataset.key === key;
    });
  }
  function light(key, on) {
    sameKey(key).forEach(function (el) { el.classList.toggle("on", on); });
  }
  document.addEventListener("mouseover", function (event) {
    var el = event.target.closest && event.target.closest("[data-key]");
    if (el) light(el.dataset.key, true);
  });
  document.addEventListener("mouseout", function (event) {
    var el = event.target.closest && event.target.closest("[data-key]");
    if (el) light(el.dataset.key, false);
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest(".reason[data-key]");
    if (!el) return;
    var first = sameKey(el.dataset.key).filter(function (m) { return m.tagName === "MARK"; })[0];
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  });
})();
