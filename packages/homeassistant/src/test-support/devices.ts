import type { DeviceInput } from '@mg/core';
import { avReceiver, thermometer as kitchenThermometer } from '@mg/test-helpers';

/**
 * An AV receiver (Home Assistant has no MQTT media player: it becomes one device with several
 * entities) and a thermometer: every kind and access a capability can have.
 */
export const receiver: DeviceInput = avReceiver();
export const thermometer: DeviceInput = kitchenThermometer();
