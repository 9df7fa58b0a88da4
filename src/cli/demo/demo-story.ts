import type { Output } from '../client-command.js';
import type { ApiClient } from '../client/api-client.js';
import type { JourneyView } from '../client/views.js';
import { renderSuccessMetrics } from '../render/report.js';
import { renderTimeline } from '../render/timeline.js';
import { describeEnd, watchJourney } from '../watch/journey-watch.js';
import type { ProgressTracker } from '../watch/progress.js';
import type { DemoStack } from './demo-stack.js';

/** How long one step may wait for the journey before the demo says it is stuck. */
const STEP_TIMEOUT_MS = 45_000;

/** The demo stopped: the journey was not where the story expected it to be. */
export class DemoStuckError extends Error {
  override readonly name = 'DemoStuckError';
}

/** Ctrl-C during a step. */
export class DemoInterruptedError extends Error {
  override readonly name = 'DemoInterruptedError';
}

export interface DemoStory {
  readonly client: ApiClient;
  readonly stack: DemoStack;
  readonly clientId: string;
  readonly out: Output;
  /** Ctrl-C. */
  readonly signal: AbortSignal;
  /** One for the whole story, so each watch says only what is new. */
  readonly tracker: ProgressTracker;
}

/**
 * The whole story, told through the API as a person at a terminal would with the `journey`
 * commands: start, watch the sandbox setup, approve the demo, promote to pilot, see a pilot
 * check fail, roll back, fix it, promote again up to production and completion; then the
 * timeline and the success metrics.
 */
export async function tellDemoStory(story: DemoStory): Promise<void> {
  const { client, clientId: id, out, stack } = story;
  let step = 0;
  const heading = (title: string, commandLine?: string): void => {
    step += 1;
    out.write(`\n${out.style.bold(`${step}. ${title}`)}\n`);
    if (commandLine !== undefined) {
      out.write(`${out.style.dim(`$ ${commandLine}`)}\n`);
    }
  };
  const watch = (expected: string, reached: (journey: JourneyView) => boolean) =>
    watchUntil(story, expected, reached);

  heading(`Start ${id}'s journey`, `journey start ${id} --playbook demo`);
  const started = await client.startJourney(id, 'demo');
  out.write(`journey ${started.journeyId}: ${started.currentStage}, ${started.status}\n`);

  heading('Watch the sandbox setup run', `journey watch ${id}`);
  await watch('the sandbox waiting for the demo approval', (j) =>
    blockedOn(j, 'sandbox', 'demo_approved'),
  );

  heading('The client approves the demo', `journey approve ${id} demo_approved --comment "..."`);
  await client.approve(id, {
    criterion: 'demo_approved',
    comment: 'The search demo convinced us.',
  });
  await watch('the sandbox ready to promote', (j) => j.status === 'ready_to_promote');

  heading('Promote to the pilot', `journey promote ${id}`);
  await client.promote(id, { reason: 'demo approved; pilot group ready' });
  await watch('the pilot gate refusing user_satisfaction', (j) =>
    blockedOn(j, 'pilot', 'user_satisfaction'),
  );

  heading(
    'A pilot check fails: roll back to the sandbox',
    `journey rollback ${id} --reason "pilot users are not satisfied"`,
  );
  await client.rollback(id, { reason: 'pilot users are not satisfied (3.2/5, needs > 4.0)' });
  await watch('the journey back in the sandbox', (j) => j.currentStage === 'sandbox');

  heading('Fix it: the quality agent is redeployed with the relevance fix');
  await stack.fixAgents();
  out.write('example agents restarted on the same ports: user satisfaction now reads 4.3/5\n');

  heading('Approve the new demo and promote again', `journey approve ${id} demo_approved`);
  await client.approve(id, { criterion: 'demo_approved', comment: 'The fix works.' });
  await watch('the sandbox ready to promote', (j) => j.status === 'ready_to_promote');
  out.write(`${out.style.dim(`$ journey promote ${id}`)}\n`);
  await client.promote(id, { reason: 'relevance fixed' });
  await watch(
    'the journey completed (pilot and production gates pass by themselves)',
    (j) => j.currentStage === 'completed',
  );

  heading('The timeline', `journey history ${id} --journey-only`);
  out.write(renderTimeline(await client.events(id), out.style, { journeyOnly: true }));

  heading('The success metrics', 'journey report');
  out.write(renderSuccessMetrics(await client.successMetrics(), out.style));
}

/** Watches until the journey pauses; refuses a pause the story did not expect. */
async function watchUntil(
  story: DemoStory,
  expected: string,
  reached: (journey: JourneyView) => boolean,
): Promise<void> {
  const { out } = story;
  const signal = AbortSignal.any([story.signal, AbortSignal.timeout(STEP_TIMEOUT_MS)]);
  const end = await watchJourney(story.client, story.clientId, {
    style: out.style,
    tracker: story.tracker,
    signal,
    onLine: (line) => out.write(`${line}\n`),
  });
  if (end.kind === 'interrupted') {
    if (story.signal.aborted) {
      throw new DemoInterruptedError('interrupted');
    }
    throw new DemoStuckError(`waited ${STEP_TIMEOUT_MS / 1000} s for ${expected}`);
  }
  out.write(`${describeEnd(end, out.style)}\n`);
  if (!reached(end.journey)) {
    throw new DemoStuckError(
      `expected ${expected}, but the journey is ${end.journey.currentStage}, ${end.journey.status}`,
    );
  }
}

function blockedOn(journey: JourneyView, stage: string, criterionId: string): boolean {
  const status = journey.statusDetail;
  return (
    status.kind === 'blocked' &&
    status.stage === stage &&
    status.reasons.some((r) => r.kind === 'criterion' && r.criterionId === criterionId)
  );
}
