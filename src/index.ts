/**
 * journey-orchestrator as a library: the domain (deciders, DAG rules, exit criteria), the
 * playbook loader, and the engine to embed (docs/engine.md, "Library use"). Named exports only.
 */
export * from './domain/index.js';
export * from './playbook/index.js';
export type {
  AgentGateway,
  AttemptOutcome,
  DispatchResult,
  TaskDispatch,
} from './application/agents.js';
export { UnclearDispatchError } from './application/agents.js';
export type { MetricReader, ObservationRequest } from './application/metric-sources.js';
export { StaticPlaybookCatalog, type PlaybookCatalog } from './application/playbook-catalog.js';
export type { Clock, IdSource, Store } from './application/ports.js';
export { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from './application/engine/context.js';
export { JourneyOrchestrator, type Requester } from './application/engine/orchestrator.js';
export { Engine, type EngineOptions } from './runtime/engine.js';
export {
  InProcessAgentGateway,
  AgentFailure,
  type AgentHandler,
} from './agents/in-process/index.js';
export { A2AAgentGateway, type AgentRegistry } from './agents/a2a/index.js';
export { MetricSourceRouter } from './sources/index.js';
export { openStore, type StoreOptions } from './storage/open-store.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  verifyWebhook,
  WebhookRejection,
  type VerifyWebhookOptions,
  type WebhookHeaders,
  type WebhookVerification,
} from './relay/webhook-signature.js';
export { Relay, type RelayOptions, type RelayOutlet } from './relay/relay.js';
export { inProcessOutlet, type InProcessSubscriber } from './relay/in-process-outlet.js';
export { webhookOutlet, type WebhookOutletOptions } from './relay/webhook-outlet.js';
export { natsOutlet, type NatsOutletOptions } from './relay/nats-outlet.js';
export type { DeliveryOutcome, Outlet } from './relay/outlet.js';
export { cloudEventType, toCloudEvent, type CloudEventJson } from './relay/cloud-event.js';
export type { OutletPolicy, OutletPolicyInput } from './relay/relay-settings.js';
