// Small behaviours the templates ask for by attribute, so that no template needs an inline
// script or handler (the Content-Security-Policy allows scripts from files only):
// - data-print on a button prints the page;
// - data-select-on-load on an input (or on its wrapper) selects its text when the page (or
//   an htmx swap) shows it, so a rejected value can be typed over at once.
(() => {
  const setUp = (root) => {
    for (const marked of root.querySelectorAll("[data-select-on-load]")) {
      const input = marked.matches("input") ? marked : marked.querySelector("input");
      if (!input) continue;
      input.focus();
      input.select();
    }
  };
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => {
    if (event.target !== document.body) setUp(event.target);
  });
})();
