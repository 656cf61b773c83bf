/**
 * docs/profile-reference.md, rendered from the profile's JSON Schema (itself generated from the
 * zod schema), so the page cannot drift from what the loader accepts.
 */
import { profileJsonSchema } from './json-schema.js';
import { REFERENCE_INTRO } from './reference-intro.js';

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown) => `\`${JSON.stringify(value)}\``;
const variantsOf = (node: Node) => (node.anyOf ?? node.oneOf) as Node[] | undefined;

/** `{ action, argument? }`: the keys of an object, the optional ones marked. */
function keysOf(node: Node): string {
  const required = (node.required ?? []) as string[];
  return `\`{ ${Object.keys(node.properties as Node)
    .map((k) => (required.includes(k) ? k : `${k}?`))
    .join(', ')} }\``;
}

function typeOf(node: Node): string {
  if (node.const !== undefined) return code(node.const);
  if (Array.isArray(node.enum)) return node.enum.map(code).join(' or ');
  const variants = variantsOf(node);
  // Objects told apart by their keys (a capability's command and state): show the keys.
  if (variants) return variants.map((v) => (isNode(v.properties) ? keysOf(v) : typeOf(v))).join(' or ');
  if (Array.isArray(node.type)) return node.type.join(' or ');
  // zod bounds integers to the safe range: not worth a reader's attention.
  const bound = (v: unknown) => (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  const [lo, hi, above] = [bound(node.minimum), bound(node.maximum), bound(node.exclusiveMinimum)];
  const range =
    above !== undefined
      ? ` > ${above}`
      : lo !== undefined && hi !== undefined
        ? ` ${lo} to ${hi}`
        : lo !== undefined
          ? ` ≥ ${lo}`
          : hi !== undefined
            ? ` ≤ ${hi}`
            : '';
  switch (node.type) {
    case 'array':
      return `list of ${isNode(node.items) ? typeOf(node.items) : 'values'}${node.minItems ? ` (at least ${node.minItems as number})` : ''}`;
    case 'object':
      if (isNode(node.additionalProperties))
        return `object: key → ${isNode(node.additionalProperties.properties) ? 'object' : typeOf(node.additionalProperties)}`;
      return 'object';
    case 'integer':
    case 'number':
      return `${node.type}${range}`;
    case 'string':
      return node.pattern ? `string matching \`${node.pattern as string}\`` : 'string';
    case 'boolean':
      return 'true or false';
    default:
      return 'value';
  }
}

interface Section {
  title: string;
  node: Node;
}

function table(section: Section, children: Section[]): string[] {
  const properties = (section.node.properties ?? {}) as Record<string, Node>;
  const required = (section.node.required ?? []) as string[];
  const rows = ['| key | type | default | meaning |', '| --- | --- | --- | --- |'];
  for (const [key, node] of Object.entries(properties)) {
    const def = node.default !== undefined ? code(node.default) : required.includes(key) ? '(required)' : '(optional)';
    rows.push(`| \`${key}\` | ${cell(typeOf(node))} | ${cell(def)} | ${cell((node.description as string | undefined) ?? '')} |`);
    const path = section.title === 'Top level' ? key : `${section.title}.${key}`;
    const record = isNode(node.additionalProperties) ? node.additionalProperties : undefined;
    const objectVariant = variantsOf(node)?.find((v) => isNode(v.properties));
    if (isNode(node.properties)) children.push({ title: path, node });
    else if (record && isNode(record.properties)) children.push({ title: `${path}.<name>`, node: record });
    else if (isNode(node.items) && isNode(node.items.properties)) children.push({ title: `${path}[]`, node: node.items });
    else if (objectVariant && section.title !== 'capabilities[]') children.push({ title: path, node: objectVariant });
  }
  return rows;
}

/** A section, then the sections of its nested objects, depth first (the order of the file). */
function sections(section: Section, out: string[] = []): string[] {
  const children: Section[] = [];
  out.push(`## ${section.title === 'Top level' ? section.title : `\`${section.title}\``}`, '');
  if (typeof section.node.description === 'string') out.push(section.node.description, '');
  out.push(...table(section, children), '');
  for (const child of children) sections(child, out);
  return out;
}

/** The Markdown reference of the profile format. */
export function renderProfileReference(): string {
  return `${REFERENCE_INTRO}${sections({ title: 'Top level', node: profileJsonSchema() }).join('\n').trimEnd()}\n`;
}
