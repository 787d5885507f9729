// Acts on one frame of the page as a visitor does, for interact.py: chooses the options of link lists,
// clicks elements that act as links, and finds what shows hidden links (menus, tabs, accordions,
// "Xem thêm", carousels). Where the page would go is recorded and the navigation cancelled, so the
// page never leaves: the Navigation API's `navigate` event (location changes, form submissions, link
// clicks) and window.open. Visibility and names come from the probe itself (page_probe.js with
// `expose`), so a link counts as shown exactly when the probe would count it visible.
// Installed once per frame as window.__portalAuditInteract; every function returns plain JSON.
(config) => {
  if (window.__portalAuditInteract) return true;
  const P = window.__portalAuditProbe;
  if (!P) return false;
  const more = new RegExp(config.morePattern, 'i');
  const next = new RegExp(config.nextPattern, 'i');
  const avoid = new RegExp(config.avoidPattern, 'i');
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();

  // Elements are named to Python by number; the same element keeps its number.
  const elements = [];
  const numbers = new WeakMap();
  const idOf = (el) => {
    if (!numbers.has(el)) { numbers.set(el, elements.length); elements.push(el); }
    return numbers.get(el);
  };
  const visible = (el) => !!el && el.isConnected && !P.hiddenReason(el);
  // Never clicked: what would change something on the server (a vote, a POST form) or leave the page's purpose.
  const avoided = (el) => avoid.test([label(el), el.getAttribute('onclick') || '', classOf(el), el.id || ''].join(' '))
    || !!(el.form && (el.form.method || '').toLowerCase() === 'post');
  const classOf = (el) => String((el.className && el.className.baseVal !== undefined) ? el.className.baseVal : el.className || '');
  const label = (el) => {
    const text = clean(P.textOf(el) || el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('alt')
      || (el.tagName === 'INPUT' ? el.value : ''));
    if (text) return text.slice(0, 80);
    if (el.tagName === 'IMG') return clean((el.getAttribute('src') || '').split('?')[0].split('/').pop()).slice(0, 80) || 'ảnh';
    if (next.test(classOf(el))) return 'nút chuyển tiếp';
    return el.tagName.toLowerCase();
  };

  // -- recording where the page would go -------------------------------------------------------
  let holding = false;
  const went = [];
  const record = (raw) => {
    raw = raw === undefined || raw === null ? '' : String(raw).trim();
    if (!raw || /^(about:blank|javascript:|#)/i.test(raw)) return;
    let href = '';
    try { href = new URL(raw, document.baseURI).href; } catch (e) { href = ''; }
    went.push({ raw, href });
  };
  if (window.navigation) {
    navigation.addEventListener('navigate', (event) => {
      if (!holding || event.hashChange) return;
      if (!event.destination.sameDocument && event.navigationType !== 'reload' && event.navigationType !== 'traverse') {
        went.push({ raw: event.destination.url, href: event.destination.url });
      }
      if (event.cancelable) event.preventDefault();
    });
  }
  // A window that goes nowhere: scripts that write to what window.open returned keep working.
  const nowhere = () => {
    const place = { assign: record, replace: record, reload() {}, toString: () => '' };
    Object.defineProperty(place, 'href', { get: () => '', set: record });
    const win = { closed: false, opener: window, focus() {}, blur() {}, close() {}, postMessage() {},
                  document: { write() {}, writeln() {}, open() {}, close() {} } };
    Object.defineProperty(win, 'location', { get: () => place, set: record });
    return win;
  };
  const open = window.open;
  window.open = function (url, ...rest) {
    if (!holding) return open.call(this, url, ...rest);
    record(url);
    return nowhere();
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  // Links opening another window navigate this one instead while the action runs, so the
  // `navigate` event sees them; the target is put back afterwards.
  const retargeted = (el, action) => {
    const holders = [el.closest('a[target], area[target]'), el.closest('form[target]'), el.form || null]
      .filter((h) => h && h.getAttribute('target') && h.getAttribute('target') !== '_self');
    const saved = holders.map((h) => [h, h.getAttribute('target')]);
    saved.forEach(([h]) => h.setAttribute('target', '_self'));
    try { action(); } finally { saved.forEach(([h, t]) => h.setAttribute('target', t)); }
  };

  // -- hidden links and what shows them ---------------------------------------------------------
  // Every link of the frame is known from the start; the hidden ones are watched until an action
  // shows them, and links an action adds (a "Xem thêm" that fetches more) are reported as they appear.
  // Hidden elements acting as links (onclick in a hover menu) are watched too, so that what hides
  // them is opened; they are reported by clicking them once shown.
  const watched = [];  // {el, reported, acts}
  const known = new WeakSet();
  const ACTS = '[onclick], a[href^="javascript:" i], [role=link], [data-href], [data-url], [data-link]';
  const scan = () => {
    const appeared = [];
    for (const a of document.querySelectorAll('a[href]')) {
      if (known.has(a)) continue;
      known.add(a);
      if (!/^https?:/i.test(a.href)) continue;
      const reason = P.hiddenReason(a);
      if (!reason) appeared.push(a);
      else if (reason !== 'không còn trên trang') watched.push({ el: a, reported: false, acts: false });
    }
    for (const el of document.querySelectorAll(ACTS)) {
      if (known.has(el) || el.tagName === 'OPTION') continue;
      known.add(el);
      const reason = P.hiddenReason(el);
      if (reason && reason !== 'không còn trên trang') watched.push({ el, reported: true, acts: true });
    }
    return appeared;
  };
  const linkData = (a) => ({ href: a.href, raw: a.getAttribute('href') || '', text: P.textOf(a),
                             kind: a.tagName.toLowerCase(), section: P.blockOf(a) });
  const revealed = () => {
    const shown = [];
    for (const item of watched) {
      if (!item.reported && visible(item.el)) { item.reported = true; shown.push(linkData(item.el)); }
    }
    return shown.concat(scan().map(linkData));
  };
  // The element whose own style hides the link, or the ancestor whose overflow cuts it off.
  const hiderOf = (a, reason) => {
    const chain = [];
    for (let e = a; e && e.nodeType === 1; e = e.parentElement) chain.push(e);
    if (reason === 'display:none') return chain.find((e) => getComputedStyle(e).display === 'none');
    if (reason === 'thuộc tính hidden') return chain.find((e) => e.hidden);
    if (reason === 'opacity:0') return chain.find((e) => parseFloat(getComputedStyle(e).opacity) === 0);
    if (reason === 'visibility:hidden') {
      let top = a;
      for (const e of chain.slice(1)) { if (getComputedStyle(e).visibility === 'visible') break; top = e; }
      return top;
    }
    if (reason === 'nằm trong mục thu gọn') return a.closest('details');
    const box = a.getBoundingClientRect();
    for (const e of chain.slice(1)) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const r = e.getBoundingClientRect();
      if (box.right <= r.left || box.left >= r.right || box.bottom <= r.top || box.top >= r.bottom || r.width * r.height < 1) return e;
    }
    return a.parentElement;
  };
  const actionable = 'a, button, [role=button], [role=tab], [onclick], [data-toggle], [data-bs-toggle], [tabindex], summary, label, span, i, li, div';
  const isTab = (el) => el.matches('[role=tab], [data-toggle=tab], [data-bs-toggle=tab], [data-toggle=pill], [data-bs-toggle=pill]')
    || !!el.closest('[role=tablist], .nav-tabs, .tabs, .tab-list, .tab-header, .tab-title, ul.tab');
  // What a visitor would try to show a hidden block, most likely first: what names it (aria-controls,
  // a #id link, a label), the <summary> of its <details>, hovering the menu item it hangs from,
  // "Xem thêm", tabs, the heading before it, and carousel arrows (pressed repeatedly).
  // What a visitor would try to show a hidden block, most likely first: what names it (aria-controls,
  // a #id link, a label), the <summary> of its <details>, hovering the menu item it hangs from,
  // "Xem thêm", tabs, the heading before it, and carousel arrows (pressed repeatedly). The
  // candidates of a block are found once; which of them can be acted on (shown now) is checked at
  // each plan, so a trigger inside a menu counts once the menu is open.
  const candidates = new Map();  // hider -> [{el, action, repeat}]
  const candidatesFor = (hider, clip) => {
    if (candidates.has(hider)) return candidates.get(hider);
    const found = [];
    const add = (el, action, repeat) => {
      if (!el || el === hider || action === 'hover' && hider.contains(el)) return;
      if (!found.some((t) => t.el === el && t.action === action)) found.push({ el, action, repeat: !!repeat });
    };
    if (hider.id) {
      for (const el of document.querySelectorAll('[aria-controls], [data-target], [data-bs-target], a[href^="#"], label[for]')) {
        const refs = ['aria-controls', 'data-target', 'data-bs-target', 'href', 'for'].map((n) => el.getAttribute(n) || '');
        if (refs.some((r) => r === '#' + hider.id || r.split(/\s+/).includes(hider.id))) add(el, 'click');
      }
    }
    const details = hider.closest('details');
    if (details) add(details.querySelector(':scope > summary'), 'click');
    if (!clip) {
      add(hider.parentElement, 'hover');
      add(hider.parentElement && hider.parentElement.closest('li'), 'hover');
    }
    // Small elements around the block only (a button, not the box that holds the page), at most a
    // few hundred looked at.
    const mores = [], tabs = [], arrows = [];
    const checked = new Set();
    let container = hider.parentElement;
    for (let level = 0; container && container !== document.body && level < 4; level++, container = container.parentElement) {
      for (const el of container.querySelectorAll(actionable)) {
        if (checked.size > 600) break;
        if (checked.has(el) || el.childElementCount > 4 || hider.contains(el) && !clip) continue;
        checked.add(el);
        const text = clean(el.textContent);
        if (text.length > 40) continue;
        const named = [el.getAttribute('aria-label') || '', el.getAttribute('title') || '', classOf(el)].join(' ');
        if (text.length <= 3 && (next.test(named) || /^[›»>→]$/.test(text))) arrows.push(el);
        else if (more.test(text) || text.length <= 20 && more.test(named) && el.matches('a, button, [role=button], span, i')) mores.push(el);
        else if (!clip && isTab(el) && el.matches('a, button, [role=tab], li, span')) tabs.push(el);
      }
    }
    mores.forEach((el) => add(el, 'click'));
    tabs.slice(0, 8).forEach((el) => add(el, 'click'));
    if (!clip) {
      add(hider.previousElementSibling, 'click');
      add(hider.previousElementSibling, 'hover');
    }
    arrows.slice(0, 2).forEach((el) => add(el, 'click', true));
    candidates.set(hider, found.slice(0, 14));
    return candidates.get(hider);
  };
  const triggersFor = (hider, clip) => candidatesFor(hider, clip).filter((t) => visible(t.el) && !avoided(t.el));
  // Links cut off inside a running <marquee> pass by on their own.
  const marqueed = (a) => { const m = a.closest('marquee'); return !!m && visible(m); };

  // -- link lists and elements acting as links ---------------------------------------------------
  const placeholder = (value) => ['', '#', '0', '-1'].includes(value);
  // An option the page as loaded gives no address for: only the page's script knows where it leads.
  const unknown = (option) => {
    const value = (option.value || '').trim();
    if (!placeholder(value)) return /^[\w-]+$/.test(value);
    return ['data-url', 'data-href', 'data-link'].some((name) => option.getAttribute(name));
  };
  const goButton = (select) => {
    const form = select.form;
    if (form) {
      const submit = form.querySelector('button:not([type]), button[type=submit], input[type=submit], input[type=image], button[type=button], input[type=button]');
      if (submit && visible(submit)) return submit;
    }
    let sibling = select.nextElementSibling;
    for (let n = 0; sibling && n < 3; n++, sibling = sibling.nextElementSibling) {
      if (sibling.matches('button, input[type=button], input[type=submit], a[href^="javascript:" i], a[href="#"], [onclick]') && visible(sibling)) return sibling;
    }
    return null;
  };
  const selects = (root) => {
    const found = [];
    for (const select of root.querySelectorAll('select:not([multiple])')) {
      if (!visible(select)) continue;
      const options = [...select.options].map((o, index) => ({ index, o })).filter(({ o }) => unknown(o))
        .map(({ index, o }) => ({ index, text: clean(o.textContent).slice(0, 120), reached_by: P.choosing(select, o) }));
      if (!options.length) continue;
      const button = goButton(select);
      found.push({ id: idOf(select), options, name: P.listName(select),
                   button: button ? { id: idOf(button), label: label(button) } : null,
                   section: P.selectSection(select) });
    }
    return found;
  };
  const voidHref = /^javascript:\s*(void\s*\(?\s*0?\s*\)?|false|undefined|null)?\s*;?\s*$/i;
  const clickables = (root) => {
    const found = [];
    const seen = new Set();
    const add = (el) => {
      if (seen.has(el)) return;
      seen.add(el);
      if (el.closest('select, textarea, input:not([type=button]):not([type=submit]):not([type=image])')) return;
      if (!visible(el) || avoided(el)) return;
      found.push(el);
    };
    for (const el of root.querySelectorAll('[onclick], a[href^="javascript:" i]')) {
      const href = el.matches('a[href]') ? el.getAttribute('href') || '' : '';
      if (el.matches('a[href]') && /^https?:/i.test(el.href) && !/^javascript:/i.test(href)) continue;  // a plain link: already read
      if (voidHref.test(href) && !el.hasAttribute('onclick')) continue;
      add(el);
    }
    for (const el of root.querySelectorAll('[role=link], [data-href], [data-url], [data-link]')) {
      if (!el.closest('a[href]') && el.tagName !== 'OPTION') add(el);
    }
    // The button of a form that only goes somewhere (no field to fill in: not a search or a login).
    for (const el of root.querySelectorAll('form button:not([type]), form button[type=submit], form input[type=submit], form input[type=image]')) {
      const form = el.form;
      if (form && !form.querySelector('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=image]), textarea, select')) add(el);
    }
    for (const el of root.querySelectorAll('img, li, div, span, td, figure, article, p, h2, h3, h4, h5, button, i, svg')) {
      if (found.length > 400) break;
      if (getComputedStyle(el).cursor !== 'pointer') continue;
      if (el.closest('a[href]') || el.querySelector('a[href], select, input, textarea')) continue;
      const parent = el.parentElement;
      if (parent && getComputedStyle(parent).cursor === 'pointer' && !parent.querySelector('a[href]')) continue;  // its clickable ancestor counts
      add(el);
    }
    return found.map((el) => ({ id: idOf(el), label: label(el), kind: el.tagName.toLowerCase(), section: P.blockOf(el) }));
  };
  const acted = async (action) => {
    const start = went.length;
    holding = true;
    try { action(); } catch (e) { /* the page's own handler failed: whatever it did is recorded */ }
    await tick();
    return { went: went.slice(start), revealed: revealed() };
  };

  window.__portalAuditInteract = {
    element: (id) => elements[id] || null,
    hold: (on) => { holding = !!on; return true; },
    watch: () => { scan(); return watched.length; },
    revealed,
    // Whether a hidden block is shown now (a menu opened, even if it holds no plain link).
    shown: (id) => visible(elements[id]),
    selects: (root) => selects(root === undefined || root === null ? document : elements[root]),
    clickables: (root) => clickables(root === undefined || root === null ? document : elements[root]),
    // Hidden links grouped by what hides them, links to other sites first, each with its triggers.
    groups: (root) => {
      const scope = root === undefined || root === null ? null : elements[root];
      const groups = new Map();
      const marquee = [];
      for (const item of watched) {
        const a = item.el;
        if (item.reported && !item.acts || !a.isConnected || scope && !scope.contains(a)) continue;
        const reason = P.hiddenReason(a);
        if (!reason) continue;
        const clip = reason.startsWith('kích thước bằng 0') || reason === 'nằm ngoài trang';
        if (clip && !item.acts && marqueed(a)) { item.reported = true; marquee.push(linkData(a)); continue; }
        const hider = hiderOf(a, reason) || a.parentElement;
        if (!hider) continue;
        if (!groups.has(hider)) groups.set(hider, { hider, clip, links: 0, away: 0 });
        const group = groups.get(hider);
        group.links += 1;
        if (item.acts || a.host !== location.host) group.away += 1;
      }
      const ordered = [...groups.values()].sort((x, y) => (y.away > 0) - (x.away > 0)).slice(0, 60);
      return {
        marquee,
        groups: ordered.map((g) => ({
          id: idOf(g.hider), clip: g.clip, links: g.links,
          triggers: triggersFor(g.hider, g.clip).map((t) => ({ id: idOf(t.el), action: t.action, repeat: t.repeat,
                                                               label: label(t.el), kind: t.el.tagName.toLowerCase() })),
        })),
      };
    },
    choose: (id, index, withButton) => acted(() => {
      const select = elements[id];
      select.selectedIndex = index;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }).then(async (result) => {
      if (result.went.length || withButton === null || withButton === undefined) return result;
      const pressed = await acted(() => retargeted(elements[withButton], () => elements[withButton].click()));
      return { went: pressed.went, revealed: result.revealed.concat(pressed.revealed), button: true };
    }),
    click: (id) => acted(() => { const el = elements[id]; retargeted(el, () => el.click()); }),
    release: () => { holding = false; return true; },
  };
  return true;
}
