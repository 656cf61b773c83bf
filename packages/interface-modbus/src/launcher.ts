#!/usr/bin/env node
// modbus2mqtt: the units of a Modbus bus (TCP, RTU over TCP, RS-485) on MQTT, each described by a register profile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { homeAssistant } from '@mg/homeassistant';
import { homie } from '@mg/homie';
import { web } from '@mg/web';
import { configFileOf, modbusInterfaceFor } from './interface/launch.js';

const APP = 'modbus2mqtt';
// modbus2mqtt.conf and modbus2mqtt.map.json ship next to this package's dist/ folder.
const packageDir = join(__dirname, '..');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
const argv = process.argv.slice(2);

void startGateway(modbusInterfaceFor(configFileOf(argv, APP, packageDir)), {
  appName: APP,
  version,
  description: 'Modbus TCP and RTU devices (energy meters, inverters, heat pumps, relay boards), each described by a register profile (eastron-sdm630 ships).',
  argv,
  launcherDir: packageDir,
  // Conventions for the units whose profiles declare capabilities, and the status page, each off
  // until its section turns it on: [HOMEASSISTANT] discovery, [HOMIE] enabled, [WEB] enabled.
  extensions: [homeAssistant, homie, web],
});
