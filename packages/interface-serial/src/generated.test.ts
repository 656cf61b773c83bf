import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileJsonSchema, renderProfileReference, shippedProfileNames, shippedProfilePath } from './index.js';

const pkg = join(__dirname, '..');

describe('files generated from the profile schema', () => {
  it('schema/profile.schema.json is current (regenerate with `pnpm --filter @mg/interface-serial generate`)', () => {
    const shipped = JSON.parse(readFileSync(join(pkg, 'schema', 'profile.schema.json'), 'utf8'));
    expect(shipped).toEqual(profileJsonSchema());
  });

  it('docs/profile-reference.md is current (UPDATE_DOCS=1 rewrites it)', () => {
    const page = join(pkg, 'docs', 'profile-reference.md');
    const text = renderProfileReference();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(page, text);
    expect(readFileSync(page, 'utf8')).toBe(text);
  });

  it('the JSON Schema has the shape editors rely on', () => {
    const schema = profileJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, { default?: unknown }> };
    expect(schema.required).toEqual(['name', 'description']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.spacingMs?.default).toBe(0);
  });

  it.each(shippedProfileNames())('shipped profile %s points editors at the shipped schema', (name) => {
    const profile = JSON.parse(readFileSync(shippedProfilePath(name)!, 'utf8')) as { $schema?: string; name: string };
    expect(profile.$schema).toBe('../schema/profile.schema.json');
    expect(profile.name).toBe(name);
  });
});
