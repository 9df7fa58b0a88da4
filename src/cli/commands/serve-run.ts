import type { Command } from 'commander';
import { ConfigError } from '../../application/errors.js';
import { dataDirOf } from '../../config/database-url.js';
import { loadOutletsFile } from '../../config/outlets-file.js';
import {
  assertSafeBinding,
  ensureLocalAdminToken,
  LOCAL_ADMIN_NAME,
} from '../../http/local-access.js';
import { ApiMetrics } from '../../http/metrics.js';
import { startApiServer } from '../../http/server.js';
import { ApiTokens, parseApiTokens } from '../../http/tokens.js';
import { loadDefaultPlaybook, loadPlaybookFile, type Playbook } from '../../playbook/index.js';
import { formatProblem } from '../../playbook/problems.js';
import { createLogger, engineLog } from '../../runtime/logger.js';
import { outletsOf } from '../../runtime/outlets.js';
import { startService } from '../../runtime/service.js';
import { readAgentOverrides, withAgentOverrides } from '../agents-option.js';
import type { CommandContext } from '../context.js';
import {
  describeDatabase,
  reportingExpectedErrors,
  resolveDatabaseUrl,
  type StoreCommandSettings,
} from '../db-option.js';
import { version } from '../version.js';
import { parseRetention } from './prune.js';
import type { ServeOptions } from './serve.js';

/**
 * The body of `journey serve`, loaded only when serve runs: it is what pulls in Fastify, the
 * engine, the relay and the storage adapters, which the other commands never need.
 * @internal
 */
export async function runServe(
  options: ServeOptions,
  command: Command,
  context: CommandContext,
  settings: StoreCommandSettings,
): Promise<void> {
  await reportingExpectedErrors(command, context, async () => {
    const url = resolveDatabaseUrl(options.db, settings.environment);
    const retention = parseRetention(options.retention, '--retention');
    const transitionDeadline = parseRetention(options.transitionDeadline, '--transition-deadline');
    const playbooks = withAgentOverrides(
      await loadPlaybooks(options.playbook),
      await readAgentOverrides(options.agents),
    );
    const outletsFile =
      options.outlets === undefined ? undefined : await loadOutletsFile(options.outlets);
    const outlets = outletsFile === undefined ? [] : outletsOf(outletsFile);
    const configuredTokens = parseApiTokens(settings.environment.apiTokens ?? '');
    assertSafeBinding(options.host, configuredTokens.size > 0);
    const logger = createLogger(options.logLevel);
    const store = await settings.openStore(url, { owner: true });
    if (store.backend === 'sqlite') {
      // The owner lock says no other engine runs here: leases still held are a dead one's.
      const released = await store.releaseAllLeases();
      if (released > 0) {
        logger.info({ released }, 'took over the work items of a previous process');
      }
    }
    const metrics = new ApiMetrics();
    const service = await startService({
      engineMetrics: metrics.engine,
      outlets,
      relayMetrics: metrics.relay,
      ...eventSourceOf(options.eventSource ?? outletsFile?.source),
      store,
      clock: settings.clock,
      playbooks,
      log: engineLog(logger),
      concurrency: options.concurrency,
      retention,
      settings: { transitionDeadline },
      ...(options.prometheusUrl === undefined ? {} : { prometheusUrl: options.prometheusUrl }),
    });
    const dataDir = dataDirOf(url);
    const access = await apiAccess(configuredTokens, dataDir);
    const api = await startApiServer({
      orchestrator: service.engine.orchestrator,
      store,
      clock: settings.clock,
      tokens: access.tokens,
      version,
      logger: logger.child({ component: 'http' }),
      metrics,
      playbooks: service.engine.context.playbooks,
      signOff: { dataDir },
      host: options.host,
      port: options.port,
    });
    logger.info(
      {
        database: describeDatabase(url),
        playbooks: playbooks.map((p) => `${p.name} v${p.version}`),
        owner: service.engine.worker.owner,
        pid: process.pid,
        api: api.url,
        docs: `${api.url}/docs`,
        ...(access.tokenFile === undefined ? {} : { tokenFile: access.tokenFile }),
      },
      'journey serve: engine running',
    );
    const signal = await untilSignal();
    logger.info({ signal }, 'journey serve: stopping');
    await api.close();
    await service.stop();
    await store.close();
    logger.info('journey serve: stopped');
  });
}

/**
 * The API's tokens: those configured (JOURNEY_API_TOKENS), else one admin token kept in a file
 * in the data folder (created on first start, readable by its owner only).
 */
async function apiAccess(
  configured: ApiTokens,
  dataDir: string,
): Promise<{ tokens: ApiTokens; tokenFile?: string }> {
  if (configured.size > 0) {
    return { tokens: configured };
  }
  const local = await ensureLocalAdminToken(dataDir);
  return {
    tokens: ApiTokens.of([{ name: LOCAL_ADMIN_NAME, role: 'admin', token: local.token }]),
    tokenFile: local.path,
  };
}

/** The playbooks named on the command line, then the shipped default unless one replaces it. */
async function loadPlaybooks(files: readonly string[]): Promise<Playbook[]> {
  const loaded: Playbook[] = [];
  for (const file of files) {
    const result = await loadPlaybookFile(file);
    if (!result.ok) {
      throw new ConfigError(
        `--playbook ${file}`,
        `not a valid playbook:\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      );
    }
    loaded.push(result.playbook);
  }
  const shipped = await loadDefaultPlaybook();
  return loaded.some((p) => p.name === shipped.name) ? loaded : [...loaded, shipped];
}

function eventSourceOf(source: string | undefined): { eventSource?: string } {
  return source === undefined ? {} : { eventSource: source };
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
