/** The example A2A agents of the default playbook: see docs/agents.md. */
export { startExampleAgents, DEFAULT_PORT_BASE } from './start-example-agents.js';
export type { ExampleAgents, ExampleAgentsOptions } from './start-example-agents.js';
export { BehaviourControl } from './behaviour-control.js';
export type { Action, Scope } from './behaviour-control.js';
export { GARBAGE_VARIANTS, parseBehaviour } from './behaviour.js';
export type { Behaviour, BehaviourKind, GarbageVariant } from './behaviour.js';
export { applyPlan, parseBehaveFlag, parseMetricFlag, parsePlan } from './behaviour-plan.js';
export type { BehaviourPlan, Target } from './behaviour-plan.js';
export { EXAMPLE_AGENT_IDS, EXAMPLE_AGENTS } from './catalog.js';
export type { AgentDefinition, ExampleAgentId, MetricReading, Skill } from './catalog.js';
export { Counters } from './counters.js';
export type { MessageFilter, ReceivedCancel, ReceivedMessage } from './counters.js';
