// window.al: the public API. Replays the calls the inline snippet queued before this script arrived.

export type Command = (name: unknown, arg?: any) => unknown;

export function installApi(run: Command): void {
  const win = window as any;
  const queued: any[] = win.al?.q || [];
  // Every call answers a Promise that never rejects: a rejection nobody handles is an error in the page.
  const al = (win.al = (name: unknown, arg?: unknown) =>
    new Promise((resolve) => resolve(run(name, arg))).catch(() => {}));
  for (const entry of queued) {
    try {
      // The snippet queues [arguments, resolve]; a bare arguments object (its [0] is the command name) works too.
      const pair = typeof entry[0] == 'object';
      const args = pair ? entry[0] : entry;
      const answer = al(args[0], args[1]);
      if (pair) answer.then(entry[1]);
    } catch {}
  }
}
