"""What "fits a phone" means in the browser tests: the page never scrolls sideways. When it does,
the widest element that sticks out (outside any region that scrolls by itself) names the culprit."""

from typing import Any

# The page's scroll width, its viewport width, and the element reaching furthest right beyond
# the viewport that is not inside an element clipping or scrolling its own overflow.
OVERFLOW_JS = """() => {
  const root = document.scrollingElement;
  const limit = root.clientWidth;
  const clips = (element) => {
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== "visible") return true;
    }
    return false;
  };
  let widest = null;
  let right = 0;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > limit + 0.5 && box.right > right && !clips(element)) {
      widest = element;
      right = box.right;
    }
  }
  const describe = (element) => {
    if (!element) return "";
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    if (typeof element.className === "string" && element.className.trim()) {
      name += "." + element.className.trim().split(/\\s+/).join(".");
    }
    const text = (element.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 60);
    return `${name} (right edge ${Math.round(right)} px) “${text}”`;
  };
  return {scrollWidth: root.scrollWidth, clientWidth: limit, widest: describe(widest)};
}"""


def sideways_overflow(page: Any) -> str | None:
    """None when the page fits its viewport's width, else what sticks out and by how much.
    Measured once the document is loaded: a page still navigating has no body to measure."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.scrollingElement !== null && document.body !== null")
    found = page.evaluate(OVERFLOW_JS)
    if found["scrollWidth"] <= found["clientWidth"]:
        return None
    return (
        f"{page.url} is {found['scrollWidth']} px wide in a {found['clientWidth']} px viewport; "
        f"widest element: {found['widest'] or 'none found (a pseudo-element or margin?)'}"
    )
