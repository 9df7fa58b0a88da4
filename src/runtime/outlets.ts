import { ConfigError } from '../application/errors.js';
import {
  retryOf,
  webhookSecret,
  type OutletConfig,
  type OutletsFile,
} from '../config/outlets-file.js';
import { natsOutlet } from '../relay/nats-outlet.js';
import type { Outlet } from '../relay/outlet.js';
import type { OutletPolicyInput } from '../relay/relay-settings.js';
import type { RelayOutlet } from '../relay/relay.js';
import { webhookOutlet } from '../relay/webhook-outlet.js';

/** The relay's outlets as the outlets file describes them (secrets read from the environment). */
/** `env` holds the secrets' variables; the process environment (read by config/) by default. */
export function outletsOf(file: OutletsFile, env?: NodeJS.ProcessEnv): RelayOutlet[] {
  return file.outlets.map((config) => {
    try {
      return { outlet: outletOf(config, env), policy: policyOf(config) };
    } catch (error) {
      // The outlets check what they are given (a URL, a subject template) with RangeErrors.
      if (error instanceof RangeError) {
        throw new ConfigError(`outlets.${config.name}`, error.message);
      }
      throw error;
    }
  });
}

function outletOf(config: OutletConfig, env: NodeJS.ProcessEnv | undefined): Outlet {
  const timeout = config.timeout === undefined ? {} : { timeout: config.timeout };
  if (config.type === 'webhook') {
    return webhookOutlet({
      name: config.name,
      url: config.url,
      secret: env === undefined ? webhookSecret(config) : webhookSecret(config, env),
      events: config.events,
      ...timeout,
      ...(config.headers === undefined ? {} : { headers: config.headers }),
    });
  }
  return natsOutlet({
    name: config.name,
    servers: config.servers,
    stream: config.stream,
    events: config.events,
    ...timeout,
    ...(config.subject === undefined ? {} : { subject: config.subject }),
    ...(config.ensureStream === undefined ? {} : { ensureStream: config.ensureStream }),
  });
}

function policyOf(config: OutletConfig): OutletPolicyInput {
  const retry = retryOf(config);
  return {
    ...(config.startAt === undefined ? {} : { startAt: config.startAt }),
    ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
    ...(config.concurrency === undefined ? {} : { concurrency: config.concurrency }),
    ...(Object.keys(retry).length === 0 ? {} : { retry }),
  };
}
