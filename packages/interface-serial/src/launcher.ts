#!/usr/bin/env node
// serial2mqtt: a line-protocol device (serial port or TCP) on MQTT, its language given by a profile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { homeAssistant } from '@mg/homeassistant';
import { homie } from '@mg/homie';
import { web } from '@mg/web';
import { configFileOf, serialInterfaceFor } from './interface/launch.js';

const APP = 'serial2mqtt';
// serial2mqtt.conf and serial2mqtt.map.json ship next to this package's dist/ folder.
const packageDir = join(__dirname, '..');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
const argv = process.argv.slice(2);

void startGateway(serialInterfaceFor(configFileOf(argv, APP, packageDir)), {
  appName: APP,
  version,
  description: 'A line-protocol device (AV receiver, projector, switcher) on a serial port or TCP, described by a profile (denon-avr ships).',
  argv,
  launcherDir: packageDir,
  // Conventions for the device the profile's capabilities describe, and the status page, each
  // off until its section turns it on: [HOMEASSISTANT] discovery, [HOMIE] enabled, [WEB] enabled.
  extensions: [homeAssistant, homie, web],
});
