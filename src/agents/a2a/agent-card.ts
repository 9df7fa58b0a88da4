/**
 * What we use of an agent card. The SDK's resolver returns whatever JSON the agent served (it
 * only reshapes protobuf-style cards), so the fields we rely on are checked here, once, and a
 * card that lacks them is refused with a reason instead of failing later inside the client.
 */
export interface UsableCard {
  readonly name: string;
  /** `supportedInterfaces[0].url`: where the client sends its calls. */
  readonly endpoint: string;
  /** The skill ids the card lists: the intents this agent offers. */
  readonly skills: readonly string[];
}

/** Only JSON-RPC is spoken: it is the binding the SDK server and our examples serve. */
const BINDING = 'JSONRPC';

export function readCard(
  raw: unknown,
): { ok: true; card: UsableCard } | { ok: false; why: string } {
  if (!isRecord(raw)) {
    return { ok: false, why: 'the card is not a JSON object' };
  }
  const interfaces = raw['supportedInterfaces'];
  const first: unknown = Array.isArray(interfaces) ? interfaces[0] : undefined;
  if (!isRecord(first) || typeof first['url'] !== 'string' || first['url'] === '') {
    return { ok: false, why: 'the card lists no interface with a url (supportedInterfaces[0])' };
  }
  const binding = first['protocolBinding'];
  if (typeof binding !== 'string' || binding.toUpperCase() !== BINDING) {
    return {
      ok: false,
      why: `its first interface uses ${typeof binding === 'string' ? binding : 'no protocol binding'}; this gateway speaks ${BINDING}`,
    };
  }
  const skills = raw['skills'];
  if (!Array.isArray(skills)) {
    return { ok: false, why: 'the card has no skills list' };
  }
  const ids = skills.flatMap((skill: unknown) =>
    isRecord(skill) && typeof skill['id'] === 'string' ? [skill['id']] : [],
  );
  const name = typeof raw['name'] === 'string' ? raw['name'] : '';
  return { ok: true, card: { name, endpoint: first['url'], skills: ids } };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
