/** One forward-only schema change. Versions are consecutive from 1; an applied one never changes. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
