#!/usr/bin/env node
// dummy2mqtt: the launcher of the dummy gateway. A new gateway's launcher is these lines with
// its own interface class and application name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { brokerSection, embeddedBrokerHook } from '@mg/embedded-broker';
import { homeAssistant } from '@mg/homeassistant';
import { homie } from '@mg/homie';
import { web } from '@mg/web';
import { DummyInterface } from './dummy-interface.js';

const packageDir = join(__dirname, '..');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };

void startGateway(DummyInterface, {
  appName: 'dummy2mqtt',
  version,
  description: 'The dummy @mg gateway: logs what it receives and sends MUTE_ON every 30 s.',
  // dummy2mqtt.conf and dummy.map.json ship next to this package's dist/ folder.
  launcherDir: packageDir,
  // Optional embedded broker, started only when [BROKER] embedded is on.
  sections: { BROKER: brokerSection },
  beforeConnect: embeddedBrokerHook,
  // Conventions and the status page, each off until its section turns it on: [HOMEASSISTANT]
  // discovery, [HOMIE] enabled, [WEB] enabled.
  extensions: [homeAssistant, homie, web],
});
