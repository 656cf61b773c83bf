import { join } from 'node:path';
import { indexExports } from '@mg/test-helpers';
import * as api from './index.js';

describe('the @mg/app-properties package', () => {
  it('exports its public surface by name, values and types, and nothing else (a new name is a conscious change here)', () => {
    expect(indexExports(join(__dirname, 'index.ts'), api)).toEqual([
      'AppProperties',
      'AppPropertiesErrorCode',
      'AppPropertiesOptions',
      'CommandLine',
      'CommandLineError',
      'EmailTransport',
      'EmailTransportOptions',
      'FileError',
      'FileErrorCode',
      'LEVELS',
      'Level',
      'LogFileError',
      'LogSettings',
      'LogSink',
      'Logger',
      'Logging',
      'LoggingOptions',
      'MemoryLogging',
      'ResolvePathOptions',
      'candidatePaths',
      'createAppProperties',
      'createLogging',
      'helpText',
      'jsonErrorOffset',
      'logSection',
      'memoryLogging',
      'parseCommandLine',
      'parseJsonText',
      'readJsonFile',
      'readTextFile',
      'resolvePath',
      'silentLogger',
    ]);
  });
});
