  // Shared by the scripts that hit-test controls and text (inlined by judge/jsassets.py).
  // An inline element wrapped over two lines is drawn in pieces (the end of one line, the start
  // of the next); its box spans both lines whole and its centre falls between them, on the
  // paragraph's text. The centre of the first of its pieces (up to 8) in the viewport where
  // `drawn(x, y)` holds, or null (also for an element drawn in one piece).
  function pieceAt(el, drawn) {
    const pieces = el.getClientRects();
    if (pieces.length < 2) return null;
    for (const q of Array.from(pieces).slice(0, 8)) {
      const x = q.left + q.width / 2, y = q.top + q.height / 2;
      if (q.width >= 1 && q.height >= 1 && x >= 0 && y >= 0 && x < innerWidth && y < innerHeight && drawn(x, y)) return [x, y];
    }
    return null;
  }
