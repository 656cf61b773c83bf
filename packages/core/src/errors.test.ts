import { MgError } from '@mg/errors';
import { BrokerListError, ExtensionError, GatewayStateError, InterfaceError, type CoreErrorCode } from './errors.js';

// The names this entry exports are locked with the others in package.test.ts.
describe('@mg/core/errors', () => {
  it('gives every class a code of the catalog, the class name and the cause', () => {
    const cause = new Error('port busy');
    const err = new ExtensionError('HOMIE', 'EXTENSION_START_FAILED', 'extension [HOMIE] could not start: port busy', { cause });
    const code: CoreErrorCode = err.code;
    expect(err).toBeInstanceOf(MgError);
    expect(err).toMatchObject({ name: 'ExtensionError', code, extension: 'HOMIE', cause });
    expect(new GatewayStateError('GATEWAY_ALREADY_STARTED', 'x')).toMatchObject({ name: 'GatewayStateError', code: 'GATEWAY_ALREADY_STARTED' });
    expect(new BrokerListError(2, 'a b', 'no spaces')).toMatchObject({ code: 'MQTT_HOST_INVALID', entry: 2, message: 'no spaces' });
    // An interface may use codes of its own.
    expect(new InterfaceError('SERIAL_PORT_MISSING', 'x').code).toBe('SERIAL_PORT_MISSING');
  });
});
