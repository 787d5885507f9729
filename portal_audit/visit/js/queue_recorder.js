// Installed before any page script runs. Records every command pushed onto the EMC queue
// (window[QUEUE]) without changing what the page or the EMC script see: the queue is kept as
// assigned, only its push is wrapped. The EMC script replaces the array with its own object;
// that object is wrapped in turn, so late commands (setSiteId pushed after load) are seen too.
// Installed once for the EMC queue, and once per other tracker's queue (a site's own Matomo, `_paq`)
// with its own log name.
(queueName, logName = '__portalAuditQueueLog') => {
  const log = [];
  Object.defineProperty(window, logName, { value: log, enumerable: false });
  const text = (v) => (v === undefined || v === null) ? '' : (typeof v === 'object' ? JSON.stringify(v) : String(v));
  const record = (cmd) => {
    try { if (Array.isArray(cmd)) log.push(cmd.map(text)); } catch (e) { /* never disturb the page */ }
  };
  const wrap = (queue) => {
    try {
      if (queue && typeof queue.push === 'function' && !queue.__portalAuditWrapped) {
        if (Array.isArray(queue)) queue.forEach(record);
        const push = queue.push;
        Object.defineProperty(queue, 'push', {
          value: function (...commands) { commands.forEach(record); return push.apply(this, commands); },
          configurable: true, writable: true, enumerable: false,
        });
        Object.defineProperty(queue, '__portalAuditWrapped', { value: true, enumerable: false });
      }
    } catch (e) { /* a frozen object: leave it alone */ }
    return queue;
  };
  let current;
  Object.defineProperty(window, queueName, {
    configurable: true, enumerable: true,
    get() { return current; },
    set(value) { current = wrap(value); },
  });
}
