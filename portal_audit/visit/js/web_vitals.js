// Installed before any script of the page: the page's own Web Vitals during the audit's visit
// (no throttling; evidence only). Read back as window.__portalAuditVitals.
(() => {
  if (window.top !== window) return;
  const v = { fcp: null, lcp: null, long_tasks: 0, longest_task: 0, tbt: 0, cls: 0 };
  const longTasks = [];
  Object.defineProperty(window, '__portalAuditVitals', {
    configurable: true,
    get: () => {
      v.tbt = v.fcp === null ? 0 : longTasks.filter((t) => t.start >= v.fcp)
        .reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);
      return v;
    },
  });
  const observe = (type, handle) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(handle)).observe({ type, buffered: true }); }
    catch (e) { /* an entry type this browser does not support */ }
  };
  observe('paint', (e) => { if (e.name === 'first-contentful-paint') v.fcp = e.startTime; });
  // Every entry replaces the last: the final one is the largest paint (never stop at the first).
  observe('largest-contentful-paint', (e) => { v.lcp = e.renderTime || e.loadTime || e.startTime; });
  observe('longtask', (e) => {
    v.long_tasks += 1;
    v.longest_task = Math.max(v.longest_task, e.duration);
    longTasks.push({ start: e.startTime, duration: e.duration });
  });
  observe('layout-shift', (e) => { if (!e.hadRecentInput) v.cls += e.value; });
})();
