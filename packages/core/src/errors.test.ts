import { MgError } from '@mg/errors';
import * as api from './errors.js';
import { BrokerListError, ExtensionError, GatewayStateError, InterfaceError, type CoreErrorCode } from './errors.js';

describe('@mg/core/errors', () => {
  it('exports the error classes by name, and nothing else (adding one is a change to this list and the README)', () => {
    expect(Object.keys(api).sort()).toEqual(
      ['BrokerListError', 'DeviceError', 'ExtensionError', 'GatewayStateError', 'InterfaceError', 'MapError', 'MessageError'].sort(),
    );
  });

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
