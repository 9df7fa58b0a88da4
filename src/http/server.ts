import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { PlaybookCatalog } from '../application/playbook-catalog.js';
import type { Clock } from '../application/ports.js';
import { controlBlockers } from '../application/queries/readiness-blockers.js';
import { SuccessMetrics } from '../application/queries/success-metrics.js';
import type { Millis } from '../domain/index.js';
import { registerAuth } from './auth.js';
import {
  DEFAULT_IDEMPOTENCY_ABANDON_AFTER,
  DEFAULT_IDEMPOTENCY_KEY_TTL,
  registerIdempotency,
} from './idempotency.js';
import { ApiMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import {
  PROBLEM_CONTENT_TYPE,
  problemFromError,
  problemOf,
  sendProblem,
  type ProblemDocument,
} from './problem.js';
import type { ApiOrchestrator, ApiStore } from './routes/context.js';
import { controlRoutes } from './routes/controls.js';
import { eventStreamRoutes } from './routes/event-stream.js';
import { evidenceRoutes } from './routes/evidence.js';
import { journeyCommandRoutes } from './routes/journey-commands.js';
import { journeyRoutes } from './routes/journeys.js';
import { meRoutes } from './routes/me.js';
import { operationRoutes } from './routes/operations.js';
import { outletRoutes } from './routes/outlets.js';
import { readinessRoutes } from './routes/readiness.js';
import { reportRoutes } from './routes/reports.js';
import { signOffLinkRoutes } from './routes/sign-off-links.js';
import { signOffRoutes } from './routes/sign-off.js';
import { unitOfWorkRoutes } from './routes/units-of-work.js';
import { playbookLookup } from './sign-off/playbook-lookup.js';
import { resolveSignOff, type SignOffSettings } from './sign-off/sign-off-settings.js';
import { SignOffs } from './sign-off/sign-offs.js';
import type { ApiTokens } from './tokens.js';
import { DEFAULT_WEB_ROOT, registerWebAssets } from './web-assets.js';

export interface ApiServerOptions {
  /** The use cases (`engine.orchestrator`). */
  readonly orchestrator: ApiOrchestrator;
  /** The store the engine runs on (its read models, streams and queue size are read). */
  readonly store: ApiStore;
  readonly clock: Clock;
  readonly tokens: ApiTokens;
  /** The version reported by /healthz and the OpenAPI document. */
  readonly version: string;
  /** Request logs go here (pino); none when absent. Tokens are never logged. */
  readonly logger?: FastifyBaseLogger;
  /** Pass one to share it with the engine (`metrics.engine`); a new one when absent. */
  readonly metrics?: ApiMetrics;
  /** @default 65536 (64 KiB) */
  readonly bodyLimit?: number;
  /** How long journey statistics (reports, /metrics) are reused. @default 5000 */
  readonly statisticsMaxAge?: Millis;
  /** How long /readyz waits for the database. @default 2000 */
  readonly readinessTimeout?: Millis;
  /** How long an Idempotency-Key is remembered from its first use. @default 86400000 (24 h) */
  readonly idempotencyKeyTtl?: Millis;
  /** When a key's first request counts as dead (its process killed) and may be taken over. @default 60000 */
  readonly idempotencyAbandonAfter?: Millis;
  /** The built dashboard served at `/`; null serves none. @default dist/web of this package */
  readonly webRoot?: string | null;
  /**
   * The playbooks readiness and sign-off links read criteria from (`engine.context.playbooks`).
   * @default the shipped default playbook, loaded on first use
   */
  readonly playbooks?: PlaybookCatalog;
  /** Sign-off links: the secret, where to keep it, the public address (docs/evidence.md). */
  readonly signOff?: SignOffSettings;
}

/**
 * The HTTP API (Fastify): every route of docs/api.md, errors as problem+json, bearer tokens
 * with roles. Returns the app ready to `listen` (or `inject`); `startApiServer` listens too.
 */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // Client ids may be 128 characters; longer path segments are refused by the schemas.
    routerOptions: { maxParamLength: 512 },
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    requestTimeout: 60_000,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors: (error, _request, reply) => {
      void sendProblem(reply, problemFromError(error).problem);
    },
    clientErrorHandler: answerClientError,
  });
  app.setValidatorCompiler(validatorCompiler);
  // Responses are serialized as they are; their schemas document them (and the tests check them).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON only: a text/plain body is refused (415) instead of reaching the schemas as a string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error, request, reply) => {
    const { problem, headers, internal } = problemFromError(error);
    if (internal) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problemOf('NOT_FOUND', `There is no ${request.method.slice(0, 16)} route at this path.`),
    ),
  );

  const metrics = options.metrics ?? new ApiMetrics();
  const successMetrics = new SuccessMetrics({
    readModels: options.store,
    events: options.store,
    clock: options.clock,
    maxAge: options.statisticsMaxAge ?? 5_000,
  });
  metrics.bind(
    {
      journeysByStage: () => options.store.countJourneysByStage(),
      queueDepth: () => options.store.countQueued(),
      nextDueAt: () => options.store.nextDueAt(),
      now: () => options.clock.now(),
    },
    (error) => app.log.warn({ err: error }, 'a /metrics source failed'),
  );
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1_000);
  });

  registerAuth(app, options.tokens);
  registerIdempotency(app, {
    keys: options.store,
    clock: options.clock,
    ttl: options.idempotencyKeyTtl ?? DEFAULT_IDEMPOTENCY_KEY_TTL,
    abandonAfter: options.idempotencyAbandonAfter ?? DEFAULT_IDEMPOTENCY_ABANDON_AFTER,
  });
  await registerOpenApi(app, options.version);
  const context = { orchestrator: options.orchestrator, store: options.store, successMetrics };
  await app.register(journeyRoutes, context);
  await app.register(journeyCommandRoutes, context);
  await app.register(controlRoutes, context);
  await app.register(unitOfWorkRoutes, context);
  await app.register(reportRoutes, context);
  await app.register(eventStreamRoutes, { store: options.store });
  await app.register(outletRoutes, { store: options.store, clock: options.clock });
  const playbooks = playbookLookup(options.playbooks);
  const signOff = resolveSignOff(options.signOff);
  const signOffs = new SignOffs({
    store: options.store,
    orchestrator: options.orchestrator,
    clock: options.clock,
    secret: signOff.secret,
    playbooks,
  });
  await app.register(readinessRoutes, {
    ...context,
    clock: options.clock,
    playbooks,
    blockerSources: [
      controlBlockers((journey, at) => options.orchestrator.controls.controlsFor(journey, at)),
    ],
  });
  await app.register(evidenceRoutes, { store: options.store, clock: options.clock });
  await app.register(signOffLinkRoutes, {
    signOffs,
    ...(signOff.publicUrl === undefined ? {} : { publicUrl: signOff.publicUrl }),
  });
  await app.register(signOffRoutes, { signOffs });
  await app.register(meRoutes);
  await app.register(operationRoutes, {
    store: options.store,
    metrics,
    version: options.version,
    readinessTimeout: options.readinessTimeout ?? 2_000,
  });
  const webRoot = options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot;
  if (webRoot !== null && !(await registerWebAssets(app, webRoot))) {
    app.log.info({ webRoot }, 'no dashboard to serve at /: it is not built (npm run build)');
  }
  return app;
}

export interface RunningApiServer {
  readonly app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

/** Builds the API and listens on `host:port` (port 0: any free port). */
export async function startApiServer(
  options: ApiServerOptions & { readonly host: string; readonly port: number },
): Promise<RunningApiServer> {
  const app = await buildApiServer(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { app, url: `http://${host}:${port}`, port, close: () => app.close() };
}

/** Errors Node's HTTP parser meets before Fastify sees a request (e.g. headers too large). */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const problem: ProblemDocument =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problemOf('HEADERS_TOO_LARGE', 'The request line and headers exceed the limit.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problemOf('REQUEST_TIMEOUT', 'The request took too long to arrive.')
        : problemOf('BAD_REQUEST', 'The request is not valid HTTP.');
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
