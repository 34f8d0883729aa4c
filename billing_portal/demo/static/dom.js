// Builds elements from data without ever parsing it as HTML: text goes in as textContent and
// attributes as properties, so a plan name like "<img onerror=...>" shows as those characters.

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") element.textContent = value;
    else if (name === "class") element.className = value;
    else if (name === "data") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}

// A link only for web addresses: a `javascript:` URL in the data never becomes clickable.
export function safeHref(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// Replaces what a block shows; its heading and the element itself stay.
export function fill(container, ...children) {
  container.replaceChildren(...children.flat().filter(Boolean));
}
