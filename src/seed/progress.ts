// A dependency-free progress bar on stderr: redrawn in place on a terminal, at most ~10 times a
// second; elsewhere (CI logs, pipes) one line per phase when it ends.

export interface ProgressBar {
  /** Reports progress of a phase; a new phase name ends the previous one, done >= total ends it too. */
  update(phase: string, done: number, total: number): void;
  /** Ends the phase in progress, if any. */
  finish(): void;
}

interface Phase {
  name: string;
  started: number;
  done: number;
  total: number;
  drawnAt: number;
}

const barWidth = 24;
const redrawMs = 100;

const count = (n: number) => Math.round(n).toLocaleString("en-US");

function describe(phase: Phase, now: number): string {
  const fraction = phase.total > 0 ? Math.min(1, phase.done / phase.total) : 1;
  const filled = Math.round(fraction * barWidth);
  const seconds = (now - phase.started) / 1000;
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const text = `${phase.name.padEnd(12)} ${bar} ${count(phase.done)}/${count(phase.total)} ${percent}`;
  return seconds > 0 && phase.total > 1 ? `${text} ${count(phase.done / seconds)}/s` : text;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const tty = stream.isTTY === true;
  let current: Phase | undefined;

  const finish = () => {
    if (!current) return;
    const now = performance.now();
    const text = `${describe(current, now)} in ${((now - current.started) / 1000).toFixed(1)}s`;
    stream.write(tty ? `\r${text}\x1b[K\n` : `${text}\n`);
    current = undefined;
  };

  const update = (name: string, done: number, total: number) => {
    const now = performance.now();
    if (current && current.name !== name) finish();
    current ??= { name, started: now, done, total, drawnAt: 0 };
    current.done = done;
    current.total = total;
    if (done >= total) return finish();
    if (!tty || now - current.drawnAt < redrawMs) return;
    current.drawnAt = now;
    stream.write(`\r${describe(current, now)}\x1b[K`);
  };

  return { update, finish };
}
