// A form whose fields belong to one choice of a select (data-shown-by="<select's name>" on
// the form, data-shown-for="<values>" on a field's wrapper) shows only the chosen value's
// fields. Without this script every field shows and the server ignores the others.
(() => {
  const update = (form) => {
    const select = form.elements[form.dataset.shownBy];
    if (!select) return;
    for (const wrapper of form.querySelectorAll("[data-shown-for]")) {
      wrapper.hidden = !wrapper.dataset.shownFor.split(" ").includes(select.value);
    }
  };
  const setUp = (root) => {
    for (const form of root.querySelectorAll("form[data-shown-by]:not([data-shown-ready])")) {
      form.dataset.shownReady = "";
      update(form);
      form.addEventListener("change", (event) => {
        if (event.target.name === form.dataset.shownBy) update(form);
      });
    }
  };
  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => setUp(event.target));
})();
