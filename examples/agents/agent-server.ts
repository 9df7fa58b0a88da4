import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentCard } from '@a2a-js/sdk';
import { DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import express from 'express';
import type { AgentDefinition } from './catalog.js';

/**
 * One agent as a real A2A server on 127.0.0.1: its card at `/.well-known/agent-card.json`,
 * JSON-RPC at `/a2a/jsonrpc`, tasks kept in memory (so a restart loses them, as an agent may).
 */

export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:7401`: what a playbook's `agents` map holds. */
  readonly url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const RPC_PATH = '/a2a/jsonrpc';

export async function startAgentServer(
  definition: AgentDefinition,
  executor: AgentExecutor,
  port: number,
): Promise<RunningServer> {
  const app = express();
  const server = createServer(app);
  server.listen(port, HOST);
  await once(server, 'listening');
  // The card must name the real port, known only now that the server listens (port 0 in tests).
  const url = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  const handler = new DefaultRequestHandler(
    cardOf(definition, url),
    new InMemoryTaskStore(),
    executor,
  );
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
  app.use(
    RPC_PATH,
    jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }),
  );
  return {
    url,
    close: () =>
      new Promise((resolve, reject) => {
        // Open keep-alive connections would hold close() open (A2A.md "Hosting an agent").
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

function cardOf(definition: AgentDefinition, url: string): AgentCard {
  return {
    name: definition.name,
    description: definition.description,
    version: '1.0.0',
    supportedInterfaces: [
      { url: `${url}${RPC_PATH}`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
    ],
    provider: undefined,
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['application/json'],
    defaultOutputModes: ['application/json'],
    skills: Object.entries(definition.skills).map(([id, skill]) => ({
      id,
      name: id.replaceAll('_', ' '),
      description: skill.description,
      tags: [skill.kind === 'metric' ? 'metric' : 'task'],
      examples: [],
      inputModes: ['application/json'],
      outputModes: ['application/json'],
      securityRequirements: [],
    })),
    signatures: [],
  };
}
