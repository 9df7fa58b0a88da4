import { millisBetween, type Instant, type Millis } from '../../domain/index.js';
import type { Clock } from '../ports.js';

/**
 * A value loaded at most once per `maxAge`: a dashboard and a Prometheus scrape polling together
 * read the read models once. Callers during a load share it; a failed load is not kept, so the
 * next call tries again.
 * @internal
 */
export class Reused<T> {
  #cached: { readonly at: Instant; readonly value: Promise<T> } | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly clock: Clock,
    private readonly maxAge: Millis,
  ) {}

  get(): Promise<T> {
    const now = this.clock.now();
    const cached = this.#cached;
    if (cached !== null && millisBetween(cached.at, now) < this.maxAge) {
      return cached.value;
    }
    const value = this.load();
    this.#cached = { at: now, value };
    void value.catch(() => {
      if (this.#cached?.value === value) {
        this.#cached = null;
      }
    });
    return value;
  }
}
