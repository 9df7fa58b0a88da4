/** The A2A adapter of the AgentGateway port: see docs/agents.md. */
export { A2AAgentGateway } from './a2a-agent-gateway.js';
export type { A2AGatewayOptions } from './a2a-agent-gateway.js';
export type { AgentRegistry, AgentRegistryEntry } from './agent-directory.js';
export { A2AFailureCode } from './failure-codes.js';
