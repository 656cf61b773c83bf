import { counted } from './words.js';

it('says a count in the number it takes', () => {
  expect([counted(0, 'message'), counted(1, 'message'), counted(2, 'message')]).toEqual(['0 messages', '1 message', '2 messages']);
  expect([counted(1, 'time'), counted(1, 'incoming message'), counted(2, 'entry', 'entries')]).toEqual(['1 time', '1 incoming message', '2 entries']);
});
