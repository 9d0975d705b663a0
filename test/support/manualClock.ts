import type { Clock, TimerHandle } from '../../server/src/schema/clock';

/** A clock the test moves by hand: `advance` runs the timers that fall due, in order. No sleeps. */
export class ManualClock implements Clock {
  private timers: { at: number; run: () => void; handle: TimerHandle }[] = [];

  constructor(private time = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }

  setTimer(run: () => void, ms: number): TimerHandle {
    const handle = { id: Symbol('timer') };
    this.timers.push({ at: this.time + ms, run, handle });
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  /** Delays (from now) of the timers still pending, soonest first. */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  /** Moves time forward, firing each timer that falls due at its own moment. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.run();
    }
    this.time = end;
  }
}
