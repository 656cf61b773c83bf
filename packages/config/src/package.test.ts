import { join } from 'node:path';
import { indexExports } from '@mg/test-helpers';
import * as api from './index.js';

describe('the @mg/config package', () => {
  it('exports its public surface by name, values and types, and nothing else (a new name is a conscious change here)', () => {
    expect(indexExports(join(__dirname, 'index.ts'))).toEqual([
      'CommonOptions',
      'ConfigError',
      'ConfigInput',
      'ConfigPlace',
      'ConfigProblem',
      'ConfigSchema',
      'ConfigValues',
      'LOG_LEVELS',
      'LoadConfigOptions',
      'LoadedConfig',
      'LogLevel',
      'OptionMeta',
      'OptionSchema',
      'ParsedIni',
      'REDACTED',
      'RangeOptions',
      'RawOption',
      'RawSections',
      'SectionMeta',
      'SectionSchema',
      'SectionShape',
      'bool',
      'choice',
      'closest',
      'defineConfig',
      'describeConfig',
      'describePlace',
      'describeProblem',
      'int',
      'level',
      'list',
      'loadConfig',
      'number',
      'optionMeta',
      'parseIni',
      'passthroughSection',
      'port',
      'renderDefaults',
      'renderOptionsTable',
      'section',
      'string',
    ]);
    expect(indexExports(join(__dirname, 'index.ts'))).toEqual(expect.arrayContaining(Object.keys(api)));
  });
});
