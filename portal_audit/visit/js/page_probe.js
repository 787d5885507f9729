// Reads one frame of the rendered page: its links and the EMC badge candidates, each with
// whether a person could see it. Returns plain JSON.
(options) => {
  // A box is clipped only by the overflow of the ancestors its position leaves it inside: an
  // absolutely positioned box escapes every ancestor that is not positioned, a fixed one every
  // ancestor but a transformed or contained one (a badge the theme pins to the viewport is not cut by
  // the footer it was written in).
  const holdsFixed = (s) => s.transform !== 'none' || s.perspective !== 'none' || s.filter !== 'none'
    || /paint|layout|strict|content/.test(s.contain || '') || /transform|perspective|filter/.test(s.willChange || '');
  const clipped = (el) => {
    // Zero-size or fully clipped by an ancestor with overflow other than visible.
    let rect = el.getBoundingClientRect();
    let area = rect.width * rect.height;
    if (area < 1) {
      for (const child of el.querySelectorAll('*')) {
        const r = child.getBoundingClientRect();
        if (r.width * r.height >= 1) { rect = r; area = 1; break; }
      }
      if (area < 1) return 'kích thước bằng 0';
    }
    let left = rect.left, top = rect.top, right = rect.right, bottom = rect.bottom;
    let position = getComputedStyle(el).position;
    let pinned = position === 'fixed';
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      pinned = pinned || s.position === 'fixed';
      const holds = position === 'fixed' ? holdsFixed(s)
        : position === 'absolute' ? (s.position !== 'static' || holdsFixed(s)) : true;
      if (!holds) continue;
      position = s.position;
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
        const r = a.getBoundingClientRect();
        left = Math.max(left, r.left); top = Math.max(top, r.top);
        right = Math.min(right, r.right); bottom = Math.min(bottom, r.bottom);
        if (right - left < 1 || bottom - top < 1) return 'kích thước bằng 0 (bị cắt bởi phần tử chứa)';
      }
    }
    if (pinned) {
      // Fixed to the viewport: seen only where the viewport shows it, however far the page scrolls.
      if (right <= 0 || bottom <= 0 || left >= innerWidth || top >= innerHeight) return 'nằm ngoài màn hình';
      return null;
    }
    const docWidth = Math.max(document.documentElement.scrollWidth, innerWidth);
    const docHeight = Math.max(document.documentElement.scrollHeight, innerHeight);
    if (right + scrollX <= 0 || bottom + scrollY <= 0 || left + scrollX >= docWidth || top + scrollY >= docHeight) {
      return 'nằm ngoài trang';
    }
    return null;
  };
  const hiddenReason = (el) => {
    if (!el || !el.isConnected) return 'không còn trên trang';
    const own = getComputedStyle(el);
    if (own.visibility === 'hidden' || own.visibility === 'collapse') return 'visibility:hidden';
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none') return 'display:none';
      if (parseFloat(s.opacity) === 0) return 'opacity:0';
      if (e.hidden) return 'thuộc tính hidden';
    }
    if (el.closest('details:not([open]) > :not(summary)')) return 'nằm trong mục thu gọn';
    return clipped(el);
  };
  const textOf = (el) => {
    const text = (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
    if (text) return text.slice(0, 200);
    const img = el.querySelector && el.querySelector('img[alt], img[title]');
    return img ? (img.getAttribute('alt') || img.getAttribute('title') || '').trim().slice(0, 200) : (el.getAttribute('title') || '');
  };
  const docRect = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  };

  // The link block an element sits in: the nearest heading before it among its own or its
  // ancestors' earlier siblings (or inside a nearby link-free sibling, e.g. a box's title bar), or a
  // labelled container. Memoised per element: pages with thousands of links are probed often.
  const HEADING = 'h1,h2,h3,h4,h5,h6,legend,caption,summary,[role=heading],[class*="title"],[class*="heading"]';
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim().slice(0, 120);
  const headingBefore = (el) => {
    let n = 0;
    for (let s = el.previousElementSibling; s && n < 30; s = s.previousElementSibling, n++) {
      const h = s.matches(HEADING) ? s : (n < 3 && !s.querySelector('a[href], select') ? s.querySelector(HEADING) : null);
      if (h && clean(h.innerText || h.textContent)) return clean(h.innerText || h.textContent);
    }
    return '';
  };
  const sections = new Map();
  const sectionOf = (el) => {
    if (!el || el === document.body || el === document.documentElement) return '';
    if (!sections.has(el)) {
      sections.set(el, clean(el.getAttribute('aria-label')) || headingBefore(el) || sectionOf(el.parentElement));
    }
    return sections.get(el);
  };
  const blockOf = (el) => headingBefore(el) || sectionOf(el.parentElement);
  const selectSection = (select) => {
    const first = select.options[0];
    const parts = [...(select.labels || [])].map((l) => clean(l.innerText || l.textContent));
    parts.push(clean(select.getAttribute('aria-label')), clean(select.getAttribute('title')));
    if (first && ['', '#', '0', '-1'].includes((first.value || '').trim())) parts.push(clean(first.textContent));
    parts.push(blockOf(select));
    return parts.filter(Boolean).join(' / ').slice(0, 200);
  };

  // The name a visitor reads for a link list: its label, else its block's heading, else its placeholder.
  const listName = (select) => {
    const first = select.options[0];
    const placeholder = first && ['', '#', '0', '-1'].includes((first.value || '').trim())
      ? clean(first.textContent).replace(/^[-–—\s]+|[-–—\s]+$/g, '') : '';
    const parts = [...(select.labels || [])].map((l) => clean(l.innerText || l.textContent));
    parts.push(clean(select.getAttribute('aria-label')), clean(select.getAttribute('title')), blockOf(select), placeholder);
    return (parts.find(Boolean) || '').replace(/[:\s]+$/, '');
  };
  const choosing = (select, option) => {
    const name = listName(select);
    return "chọn mục '" + clean(option.textContent) + "' trong danh sách" + (name ? " '" + name + "'" : ' chọn');
  };
  if (options.expose) {
    // The interaction script (interact.js) judges visibility and names blocks exactly as this probe does.
    Object.defineProperty(window, '__portalAuditProbe', {
      value: { hiddenReason, textOf, blockOf, selectSection, listName, choosing }, configurable: true, enumerable: false });
    return null;
  }

  // An <area> is seen through the image that uses its <map>. The map's name is compared as text,
  // never put into a selector, so that no name (quotes, brackets, spaces) can break the probe.
  const mapImage = (area) => {
    const map = area.closest('map');
    if (!map) return null;
    const ref = '#' + (map.name || map.id);
    return [...document.querySelectorAll('img[usemap], object[usemap]')].find((img) => img.getAttribute('usemap') === ref) || null;
  };
  const links = [];
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const reason = a.tagName === 'AREA' ? hiddenReason(mapImage(a)) : hiddenReason(a);
    links.push({ href: a.href || '', raw: a.getAttribute('href') || '', text: textOf(a), kind: a.tagName.toLowerCase(),
                 visible: !reason, hidden_reason: reason, section: blockOf(a) });
  }
  for (const option of document.querySelectorAll('select option')) {
    const raw = (option.value || '').trim();
    if (!raw || raw === '#' || raw === '0' || raw === '-1') continue;
    // A bare word or number ("58") is an id the page's script maps to an address, never an address.
    let href = '';
    if (!/^[\w-]+$/.test(raw)) { try { href = new URL(raw, document.baseURI).href; } catch (e) { href = ''; } }
    const select = option.closest('select');
    const reason = hiddenReason(select);
    links.push({ href, raw, text: (option.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 200), kind: 'option',
                 visible: !reason, hidden_reason: reason, section: selectSection(select),
                 reached_by: choosing(select, option) });
  }

  const badges = [];
  const seen = new Set();
  const addBadge = (el, matchedBy) => {
    if (seen.has(el)) return;
    seen.add(el);
    const reason = hiddenReason(el);
    badges.push({ matched_by: matchedBy, text: textOf(el), visible: !reason, hidden_reason: reason, rect: docRect(el) });
  };
  if (document.body && options.texts.length) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = node.nodeValue.replace(/\s+/g, ' ');
      const label = options.texts.find((t) => value.includes(t));
      if (label && node.parentElement && !['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(node.parentElement.tagName)) {
        addBadge(node.parentElement, 'text: ' + label);
      }
    }
  }
  if (options.imagePattern) {
    const pattern = new RegExp(options.imagePattern, 'i');
    for (const img of document.querySelectorAll('img')) {
      const file = (img.getAttribute('src') || '').split('?')[0].split('/').pop();
      const described = [img.getAttribute('alt'), img.getAttribute('title'), file].filter(Boolean).join(' ');
      if (pattern.test(described)) addBadge(img, 'image: ' + described.slice(0, 80));
    }
  }
  // A container counts only through what it shows: a visible box whose label or icon is
  // transparent or hidden is not a badge a person can see.
  const showsContent = (el) => {
    for (const inner of [el, ...el.querySelectorAll('*')]) {
      const ownText = [...inner.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
      if ((ownText || inner.tagName === 'IMG') && !hiddenReason(inner)) return true;
    }
    return false;
  };
  for (const selector of options.selectors) {
    let found = [];
    try { found = document.querySelectorAll(selector); } catch (e) { found = []; }
    for (const el of found) {
      // An empty placeholder is not a badge: only count containers that hold something.
      if (seen.has(el) || !(textOf(el) || el.querySelector('img'))) continue;
      seen.add(el);
      const reason = hiddenReason(el) || (showsContent(el) ? null : 'nội dung bên trong bị ẩn');
      badges.push({ matched_by: 'selector: ' + selector, text: textOf(el), visible: !reason, hidden_reason: reason,
                    rect: docRect(el) });
    }
  }
  return { links, badges, title: document.title || '' };
}
