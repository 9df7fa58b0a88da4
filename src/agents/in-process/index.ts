export { AgentFailure, InProcessAgentGateway } from './in-process-gateway.js';
export type { AgentCall, AgentHandler, InProcessGatewayOptions } from './in-process-gateway.js';
