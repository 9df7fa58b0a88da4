/** Playbooks: the YAML format, its validation with every problem listed, and the default. */
export { defaultPlaybookPath, loadDefaultPlaybook } from './default.js';
export { loadPlaybookFile, loadPlaybookFileOrThrow, parsePlaybook } from './load.js';
export type { PlaybookResult } from './load.js';
export { PLAYBOOK_API_VERSION, PLAYBOOK_KIND, countPlaybook } from './playbook.js';
export type { AgentEndpoint, Playbook, StagePlaybook, UnitOfWorkPlan } from './playbook.js';
export { PlaybookInvalidError, ProblemKind, formatProblem } from './problems.js';
export type { PlaybookProblem } from './problems.js';
export { toPlaybookDocument } from './serialize.js';
export {
  activeFreezes,
  freezeDocumentOf,
  freezeProblems,
  resolveFreezeWindow,
} from './freeze-window.js';
export type {
  FreezeDocument,
  FreezeProblem,
  FreezeWindow,
  OneOffFreeze,
  RecurringFreeze,
} from './freeze-window.js';
export { freezeSchema } from './schema.js';
