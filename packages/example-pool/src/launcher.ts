#!/usr/bin/env node
// pool2mqtt: the pool controller's gateway.
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { PoolInterface } from './pool-interface.js';

void startGateway(PoolInterface, {
  appName: 'pool2mqtt',
  version: '0.1.0',
  description: 'A pool controller on TCP: pump and setpoint commands, temperature, setpoint, pump and alarm statuses.',
  // pool2mqtt.conf and pool.map.json are next to dist/.
  launcherDir: join(__dirname, '..'),
});
