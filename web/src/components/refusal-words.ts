/*
 * The API's refusals of a field, reworded for a form. The API names the rule in the domain's own
 * English (the schemas, a portal session's grant, the compliance policy); a plain module, so that
 * test/unit/refusal-words.test.ts can hold each rewording to the message the domain builds.
 */
const unquote = (list = '') => list.replaceAll('"', '');
/** `read, write` as "read or write". */
const or = (list = '') => list.replace(/, ([^,]+)$/, ' or $1');

const NOT_ALLOWED: Record<string, string> = {
  view: 'You are not allowed to see keys here',
  create: 'You are not allowed to create keys here',
  update: 'You are not allowed to change keys here',
  delete: 'You are not allowed to revoke or delete keys here',
};

/**
 * The API's wording of a bad field, as a person would say it. The API names the rule ("must be an
 * IPv4 or IPv6 address or CIDR"); a form says what is wrong with what was typed.
 */
const WORDS: readonly [RegExp, (match: RegExpMatchArray) => string][] = [
  [/must be an IPv4 or IPv6 address or CIDR/, () => 'Not an IP address or CIDR range'],
  [
    /must look like "resource:action"/,
    () => 'Not a permission (write it as resource:action, e.g. orders:read)',
  ],
  [/^may contain letters, digits and (.+)$/, (m) => `Use only letters, digits and ${m[1]}`],
  [/^must be lower-case letters, digits, (.+)$/, (m) => `Use only lower-case letters, digits and ${m[1]}`],
  [/^must not be empty$/, () => 'Cannot be empty'],
  [/^must be in the future$/, () => 'Choose a time in the future'],
  [/^(?:must be )?at most (\d+) characters?/, (m) => `Too long: at most ${m[1]} characters`],
  // The compliance policy (422), about the key being made.
  [
    /^is required: keys may live at most (\d+) days/,
    (m) => `Choose an expiry: keys may live at most ${m[1]} days`,
  ],
  [/^must be at most (\d+) days from now/, (m) => `Too far ahead: keys may live at most ${m[1]} days`],
  [/^is required: every key must expire/, () => 'Choose an expiry: every key must expire'],
  [/^must not include (.+) on a personal key$/, (m) => `A personal key may not have ${unquote(m[1])}`],
  [
    /^must not grant (.+) on a personal key \((.+)\)$/,
    (m) => `A personal key may not grant ${unquote(m[1])} (granted by ${unquote(m[2])})`,
  ],
  // A portal session's limits (403), about what the person chose.
  [
    /^(.+) (is|are) not among the roles this session may give \((.+)\)$/,
    (m) => `You cannot give the ${m[2] === 'is' ? 'role' : 'roles'} ${unquote(m[1])}: choose ${or(m[3])}`,
  ],
  [/^this session may create (.+) only$/, (m) => `You can create ${m[1]} only`],
  [/^lies outside the workspaces this session manages$/, () => 'Outside the workspaces you manage'],
  [/^a portal session gives roles only, not permissions$/, () => 'Choose a role instead'],
  [/^is set by the (?:portal|operator)/, () => 'You cannot set this here'],
  [
    /^api\.key\.(view|create|update|delete) is not granted to this session$/,
    (m) => NOT_ALLOWED[m[1] ?? ''] ?? m[0],
  ],
];

/** A refusal's message as a form says it; one with no rewording as the API wrote it, capitalised. */
export function inWords(message: string): string {
  for (const [pattern, words] of WORDS) {
    const match = message.match(pattern);
    if (match) return words(match);
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}
