import { section } from '@mg/config';
import { gatewaySections } from '@mg/core/options';
import { homeAssistant } from '@mg/homeassistant';
import { homie } from '@mg/homie';
import { web } from '@mg/web';
import { SerialInterface } from '../serial-interface.js';

/** The sections of serial2mqtt's configuration, as the gateway validates them (the launcher ships both conventions and the web page). */
export function gatewaySchema() {
  return {
    ...gatewaySections,
    INTERFACE: section(SerialInterface.options, 'serial2mqtt'),
    HOMEASSISTANT: section(homeAssistant.options, homeAssistant.description),
    HOMIE: section(homie.options, homie.description),
    WEB: section(web.options, web.description),
  };
}
