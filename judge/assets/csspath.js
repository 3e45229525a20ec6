  // Shared by every script fjudge evaluates in a page (inlined by judge/jsassets.py).
  // A unique, stable CSS selector: a unique id where there is one, else nth-of-type steps.
  function cssPath(el) {
    const idOk = (n) => n.id && /^[A-Za-z][\w-]*$/.test(n.id) && document.querySelectorAll("#" + n.id).length === 1;
    if (idOk(el)) return "#" + el.id;
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      if (idOk(node)) { parts.unshift("#" + node.id); break; }
      let part = node.tagName.toLowerCase();
      const parent = node.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.tagName === node.tagName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      node = parent;
    }
    return parts.join(" > ");
  }
