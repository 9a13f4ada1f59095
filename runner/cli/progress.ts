// Shows image builds as they go: a bar per image on a terminal, timestamped lines elsewhere (CI logs).
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { BuildEvent } from '../images/build';

export class ProgressDisplay {
  private readonly tty = Boolean(process.stderr.isTTY);
  private multibar: MultiBar | undefined;
  private readonly bars = new Map<string, SingleBar>();
  private readonly started = Date.now();

  update(e: BuildEvent): void {
    if (!this.tty) return this.line(e);
    this.multibar ??= new MultiBar(
      { format: ' {image} |{bar}| {value}/{total} {text}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
      Presets.shades_classic,
    );
    let bar = this.bars.get(e.image);
    if (!bar) {
      bar = this.multibar.create(1, 0, { image: e.image.padEnd(28), text: '' });
      this.bars.set(e.image, bar);
    }
    if (e.kind === 'step') (bar.setTotal(e.steps), bar.update(e.step - 1, { text: e.text.slice(0, 60) }));
    if (e.kind === 'cached') bar.update(bar.getTotal(), { text: 'up to date (cached)' });
    if (e.kind === 'done') bar.update(bar.getTotal(), { text: `built in ${e.seconds.toFixed(1)} s` });
    if (e.kind === 'log' && e.image.includes('rootfs')) bar.update({ text: e.text.slice(0, 60) });
  }

  private line(e: BuildEvent): void {
    const t = `[${((Date.now() - this.started) / 1000).toFixed(0).padStart(4)} s]`;
    if (e.kind === 'start') process.stderr.write(`${t} ${e.image}: building\n`);
    if (e.kind === 'cached') process.stderr.write(`${t} ${e.image}: up to date (cached)\n`);
    if (e.kind === 'step') process.stderr.write(`${t} ${e.image}: step ${e.step}/${e.steps} ${e.text.slice(0, 100)}\n`);
    if (e.kind === 'done') process.stderr.write(`${t} ${e.image}: built in ${e.seconds.toFixed(1)} s\n`);
    if (e.kind === 'log' && e.image.includes('rootfs') && /^(I:|No registry|Importing)/.test(e.text))
      process.stderr.write(`${t} ${e.image}: ${e.text.slice(0, 120)}\n`);
  }

  stop(): void {
    this.multibar?.stop();
    this.multibar = undefined;
  }
}
