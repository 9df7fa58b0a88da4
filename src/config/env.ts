/**
 * The environment variables journey-orchestrator reads. This module is the only reader of
 * `process.env`: everything else receives the values it needs as parameters.
 */
export interface Environment {
  /** `JOURNEY_DB`: where the store lives when `--db` is not given. */
  readonly databaseUrl: string | undefined;
  /** `JOURNEY_API_TOKENS`: `name:role:token,...` for the HTTP API (docs/api.md). */
  readonly apiTokens?: string | undefined;
  /** `JOURNEY_URL`: the API the client commands talk to when `--url` is not given. */
  readonly apiUrl?: string | undefined;
  /** `JOURNEY_TOKEN`: the bearer token of the client commands when `--token` is not given. */
  readonly apiToken?: string | undefined;
  /** `NO_COLOR` set to anything non-empty (no-color.org): human output stays plain. */
  readonly noColor?: boolean;
  /** `JOURNEY_SIGNOFF_SECRET`: the key sign-off links are signed with (docs/evidence.md). */
  readonly signOffSecret?: string | undefined;
  /** `JOURNEY_PUBLIC_URL`: the server's address as clients reach it, for sign-off links. */
  readonly publicUrl?: string | undefined;
}

/** Reads the environment once, when called (never on import). Empty values count as unset. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return Object.freeze({
    databaseUrl: nonEmpty(env.JOURNEY_DB),
    apiTokens: nonEmpty(env.JOURNEY_API_TOKENS),
    apiUrl: nonEmpty(env.JOURNEY_URL),
    apiToken: nonEmpty(env.JOURNEY_TOKEN),
    noColor: nonEmpty(env.NO_COLOR) !== undefined,
    signOffSecret: nonEmpty(env.JOURNEY_SIGNOFF_SECRET),
    publicUrl: nonEmpty(env.JOURNEY_PUBLIC_URL),
  });
}

/**
 * The environment of a child process (`journey demo` starts a server and agents): this
 * process's, with `changes` applied; an `undefined` value removes the variable.
 */
export function childEnvironment(
  changes: Readonly<Record<string, string | undefined>>,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const child: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) {
      delete child[name];
    } else {
      child[name] = value;
    }
  }
  return child;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
