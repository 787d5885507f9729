// The dates the rendered page shows (text and <time> elements), each with the text around it and
// whether an article link shares its list item or block. Returns plain JSON.
(options) => {
  const DATE = /(\d{1,2}\s*[\/.-]\s*\d{1,2}\s*[\/.-]\s*\d{4})|(\d{4}-\d{2}-\d{2})|(ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})/gi;
  const ITEM = 'li, article, tr, dd, dt, [class*="item"], [class*="news"], [class*="post"], [class*="card"]';
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const visible = (el) => !el.checkVisibility || el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const articleLink = (el) => {
    // The nearest block up to the list item (or four levels up) holding a link with a title-like text.
    for (let e = el, depth = 0; e && e !== document.body && depth < 5; e = e.parentElement, depth++) {
      const link = [...e.querySelectorAll('a[href]')].find((a) => clean(a.innerText).length >= options.minLinkText);
      if (link) return link;
      if (e.matches(ITEM)) return null;
    }
    return null;
  };
  const out = [];
  const add = (el, text, kind) => {
    if (out.length >= options.max) return;
    const link = articleLink(el);
    out.push({ text, context: clean(el.innerText || el.textContent).slice(0, 200), near_link: !!link,
               link: link ? clean(link.innerText).slice(0, 150) : '', kind });
  };
  for (const time of document.querySelectorAll('time')) {
    if (visible(time)) add(time, time.getAttribute('datetime') || clean(time.innerText), 'time');
  }
  if (document.body) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && out.length < options.max; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TIME'].includes(parent.tagName)) continue;
      const found = (node.nodeValue || '').match(DATE);
      if (!found || !visible(parent)) continue;
      for (const text of found) add(parent, clean(text), 'text');
    }
  }
  const feeds = [...document.querySelectorAll('link[rel~="alternate"][href]')]
    .filter((l) => /rss|atom/i.test(l.getAttribute('type') || ''))
    .map((l) => l.href);
  return { dates: out, feeds };
}
