import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError, toError } from '../application/errors.js';
import { isSlug } from '../domain/index.js';
import type { AgentEndpoint, Playbook } from '../playbook/index.js';
import { httpUrlProblem } from '../playbook/schema.js';

/**
 * `journey serve --agents <file|id=url,...>`: where the agents of the loaded playbooks really
 * are (e.g. `journey demo`'s agents on free ports, or a staging deployment), without editing
 * the playbooks. An id the playbooks know is moved; a new id joins the registry.
 */
export type AgentOverrides = Readonly<Record<string, AgentEndpoint>>;

/**
 * Reads every `--agents` value: `id=url,id=url` inline (a value holding `=`), else a YAML or
 * JSON file mapping each id to its URL or to `{url, description}`, like a playbook's `agents`.
 * Later values win. A bad entry is a ConfigError naming the value and the entry.
 */
export async function readAgentOverrides(values: readonly string[]): Promise<AgentOverrides> {
  const overrides: Record<string, AgentEndpoint> = {};
  for (const value of values) {
    const inline = value.includes('=');
    const entries = inline ? inlineEntries(value, `--agents ${value}`) : await fileEntries(value);
    for (const [id, endpoint] of entries) {
      overrides[id] = checkedEndpoint(id, endpoint, `--agents ${value}`);
    }
  }
  return overrides;
}

/** Each playbook with its agent registry moved or extended by the overrides. */
export function withAgentOverrides(
  playbooks: readonly Playbook[],
  overrides: AgentOverrides,
): Playbook[] {
  if (Object.keys(overrides).length === 0) {
    return [...playbooks];
  }
  return playbooks.map((playbook) => ({
    ...playbook,
    agents: { ...playbook.agents, ...overrides },
  }));
}

function inlineEntries(value: string, setting: string): [string, unknown][] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const at = entry.indexOf('=');
      if (at <= 0) {
        throw new ConfigError(setting, `"${entry}" is not id=url`);
      }
      return [entry.slice(0, at), entry.slice(at + 1)];
    });
}

async function fileEntries(file: string): Promise<[string, unknown][]> {
  let document: unknown;
  try {
    document = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--agents ${file}`, `cannot read it: ${toError(error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigError(
      `--agents ${file}`,
      'must map each agent id to its URL or to {url, description}',
    );
  }
  return Object.entries(document);
}

function checkedEndpoint(id: string, raw: unknown, setting: string): AgentEndpoint {
  if (!isSlug(id)) {
    throw new ConfigError(setting, `"${id}" is not a valid agent id`);
  }
  const endpoint =
    typeof raw === 'string' ? { url: raw } : (raw as { url?: unknown; description?: unknown });
  if (typeof endpoint !== 'object' || endpoint === null || typeof endpoint.url !== 'string') {
    throw new ConfigError(setting, `agent "${id}" needs a url`);
  }
  const problem = httpUrlProblem(endpoint.url);
  if (problem !== undefined) {
    throw new ConfigError(setting, `agent "${id}": ${problem}`);
  }
  return typeof endpoint.description === 'string'
    ? { url: endpoint.url, description: endpoint.description }
    : { url: endpoint.url };
}
