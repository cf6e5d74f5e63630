// Quoting by selection: evidence quotes the reply's own words, so let editors pick them
// instead of retyping (the server still checks the quote is in the reply).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("kb-quote-selection");
  const text = document.getElementById("kb-reply-text");
  if (!button || !text) return;
  let chosen = "";
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (selection && selection.rangeCount && text.contains(selection.anchorNode)) {
      chosen = selection.toString().trim();
    }
  });
  button.addEventListener("click", () => {
    if (!chosen) return;
    const empty = () => [...document.querySelectorAll("textarea.evidence-quote")]
      .find((area) => !area.value.trim() && !area.closest(".empty-form"));
    let area = empty();
    if (!area) {
      const add = document.querySelector(".add-row a");
      if (add) add.click();
      area = empty();
    }
    if (area) { area.value = chosen; area.focus(); }
  });
});
