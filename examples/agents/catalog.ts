import { stableHash, type JsonObject } from './json.js';

/**
 * The six agents of the default playbook (playbooks/default.yaml) and the intents each serves.
 * Outputs are made up but plausible, and derived only from the input, so a test can predict
 * them: `create_tenant {clientId: acme, environment: pilot}` always gives `acme-pilot`.
 */

export type SkillResult =
  { readonly ok: true; readonly output: JsonObject } | { readonly ok: false; readonly why: string };

/** What a metric intent answers: the engine's `agent` metric source reads exactly this. */
export interface MetricReading {
  readonly value: number | boolean | null;
  /** Since when the value has been as it is (for windowed criteria), an ISO instant. */
  readonly heldSince?: string;
}

export type Skill =
  | {
      readonly kind: 'task';
      readonly description: string;
      readonly run: (input: JsonObject) => SkillResult;
    }
  | {
      readonly kind: 'metric';
      readonly description: string;
      /** The reading when no test chose one; passes the default playbook's thresholds. */
      readonly standard: (startedAt: Date) => MetricReading;
    };

export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  readonly skills: Readonly<Record<string, Skill>>;
}

const DAY = 24 * 60 * 60 * 1000;

function task(
  description: string,
  needs: readonly string[],
  make: (input: Strings) => JsonObject,
): Skill {
  return {
    kind: 'task',
    description,
    run: (input) => {
      const missing = needs.filter((key) => typeof input[key] !== 'string' || input[key] === '');
      if (missing.length > 0) {
        return { ok: false, why: `the input needs ${missing.join(', ')} (text)` };
      }
      return { ok: true, output: make(input as Strings) };
    },
  };
}

type Strings = Readonly<Record<string, string>>;

function metric(description: string, value: number | boolean): Skill {
  return { kind: 'metric', description, standard: () => ({ value }) };
}

/** Listed in port order: tenancy on the first port (7401), operations on the sixth. */
export const EXAMPLE_AGENTS = {
  tenancy: {
    name: 'Tenancy agent',
    description: 'Creates, opens, suspends and deletes tenants',
    skills: {
      create_tenant: task(
        'Creates a tenant for a client in an environment',
        ['clientId', 'environment'],
        (i) => ({
          tenantId: `${i['clientId']}-${i['environment']}`,
          clientId: i['clientId'] ?? '',
          environment: i['environment'] ?? '',
        }),
      ),
      invite_pilot_users: task(
        'Invites the pilot users of a client',
        ['tenantId', 'clientId'],
        (i) => ({
          tenantId: i['tenantId'] ?? '',
          invitedUsers: 5 + (stableHash(i['clientId'] ?? '') % 20),
        }),
      ),
      open_tenant: task('Opens a tenant to all of its users', ['tenantId'], (i) => ({
        tenantId: i['tenantId'] ?? '',
        open: true,
      })),
      suspend_tenant: task('Suspends a tenant', ['tenantId'], (i) => ({
        tenantId: i['tenantId'] ?? '',
        suspended: true,
      })),
      delete_tenant: task('Deletes a tenant', ['tenantId'], (i) => ({
        tenantId: i['tenantId'] ?? '',
        deleted: true,
      })),
    },
  },
  connectors: {
    name: 'Connectors agent',
    description: 'Installs data connectors and reports their sync status',
    skills: {
      install_connectors: task(
        "Installs the client's data connectors in a tenant",
        ['tenantId'],
        (i) => ({
          tenantId: i['tenantId'] ?? '',
          connectorIds: ['sharepoint', 'confluence', 'google-drive'].map(
            (c) => `${i['tenantId']}-${c}`,
          ),
        }),
      ),
      connector_sync_status: metric('Whether every connector of the client is syncing', true),
    },
  },
  dataops: {
    name: 'Data operations agent',
    description: 'Provisions and tears down test datasets',
    skills: {
      provision_test_dataset: task(
        'Provisions a test dataset in a tenant',
        ['tenantId', 'purpose'],
        (i) => ({
          datasetId: `${i['tenantId']}-${i['purpose']}-dataset`,
          documents: 1_000 + (stableHash(`${i['tenantId']}/${i['purpose']}`) % 9_000),
        }),
      ),
      teardown_dataset: task('Removes a test dataset', ['datasetId'], (i) => ({
        datasetId: i['datasetId'] ?? '',
        removed: true,
      })),
    },
  },
  quality: {
    name: 'Search quality agent',
    description: 'Measures search quality and satisfaction',
    skills: {
      capture_search_baseline: task(
        'Captures the search quality baseline',
        ['tenantId', 'datasetId'],
        (i) => ({
          baselineId: `${i['datasetId']}-baseline`,
          ndcgAt10: 0.7 + (stableHash(i['datasetId'] ?? '') % 20) / 100,
        }),
      ),
      measure_search_quality: metric('Search quality, in percent', 91),
      measure_user_satisfaction: metric('User satisfaction, out of 5', 4.3),
      measure_search_satisfaction: metric('Search satisfaction, out of 5', 4.7),
    },
  },
  security: {
    name: 'Security agent',
    description: 'Reports security scan results',
    skills: {
      security_scan_status: metric('Whether the latest security scan passed', true),
    },
  },
  operations: {
    name: 'Operations agent',
    description: 'Monitoring, bugs, incidents, SLAs and adoption',
    skills: {
      enable_monitoring: task(
        'Enables production monitoring and alerting',
        ['tenantId', 'clientId'],
        (i) => ({
          monitorId: `${i['tenantId']}-monitor`,
        }),
      ),
      disable_monitoring: task('Disables production monitoring', ['monitorId'], (i) => ({
        monitorId: i['monitorId'] ?? '',
        disabled: true,
      })),
      critical_bug_count: {
        kind: 'metric',
        description: 'Open critical bugs; heldSince is when the last one was closed',
        // The last critical bug was closed 30 days before the agents started: the 7-day window passes.
        standard: (startedAt) => ({
          value: 0,
          heldSince: new Date(startedAt.getTime() - 30 * DAY).toISOString(),
        }),
      },
      performance_sla_status: metric('Whether the performance SLA is met', true),
      measure_user_adoption: metric('Share of users active, in percent', 76),
      incident_count: metric('Open incidents of the given severities', 0),
    },
  },
} as const satisfies Readonly<Record<string, AgentDefinition>>;

export type ExampleAgentId = keyof typeof EXAMPLE_AGENTS;

export const EXAMPLE_AGENT_IDS = Object.keys(EXAMPLE_AGENTS) as readonly ExampleAgentId[];

export function isExampleAgentId(value: string): value is ExampleAgentId {
  return Object.hasOwn(EXAMPLE_AGENTS, value);
}

/** The skill an agent offers for an intent, if it offers one. */
export function skillOf(agentId: ExampleAgentId, intent: string): Skill | undefined {
  const skills: Readonly<Record<string, Skill>> = EXAMPLE_AGENTS[agentId].skills;
  return Object.hasOwn(skills, intent) ? skills[intent] : undefined;
}
