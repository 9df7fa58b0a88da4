/**
 * The environment variables journey-orchestrator reads. This module is the only reader of
 * `process.env`: everything else receives the values it needs as parameters.
 */
export interface Environment {
  /** `JOURNEY_DB`: where the store lives when `--db` is not given. */
  readonly databaseUrl: string | undefined;
  /** `JOURNEY_API_TOKENS`: `name:role:token,...` for the HTTP API (docs/api.md). */
  readonly apiTokens?: string | undefined;
}

/** Reads the environment once, when called (never on import). Empty values count as unset. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return Object.freeze({
    databaseUrl: nonEmpty(env.JOURNEY_DB),
    apiTokens: nonEmpty(env.JOURNEY_API_TOKENS),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
