import { memoryLogging } from './memory-logging.js';

describe('memoryLogging', () => {
  it('keeps every record, at every level, with the logger and child names', async () => {
    const logging = memoryLogging('app');
    const log = logging.logger('core');
    log.debug('one');
    log.child('mqtt').critical('two');
    logging.logger('').warn('three');
    expect(log.isLevelEnabled('debug')).toBe(true);
    expect(logging.records).toEqual(['DEBUG app.core: one', 'CRITICAL app.core.mqtt: two', 'WARN app: three']);
    await expect(logging.close()).resolves.toBeUndefined();
  });
});
