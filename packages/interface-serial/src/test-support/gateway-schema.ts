import { section } from '@mg/config';
import { gatewaySections } from '@mg/core';
import { SerialInterface } from '../serial-interface.js';

/** The sections of serial2mqtt's configuration, as the gateway validates them. */
export function gatewaySchema() {
  return { ...gatewaySections, INTERFACE: section(SerialInterface.options, 'serial2mqtt') };
}
