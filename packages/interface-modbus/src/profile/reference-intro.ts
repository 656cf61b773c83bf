/** The hand-written part of docs/profile-reference.md, before the tables generated from the schema. */
export const REFERENCE_INTRO = `# Register profile reference

<!-- Generated from the profile schema by \`pnpm --filter @mg/interface-modbus generate\`; a test keeps it current (UPDATE_DOCS=1 rewrites it). -->

A register profile is a JSON file that says where the values of a Modbus device are, how they
read, and which can be written. Start it with \`"$schema": "<path or URL of profile.schema.json>"\`
and an editor completes and checks it as you type (the schema ships as
\`@mg/interface-modbus/profile.schema.json\`). [Writing a profile](writing-a-profile.md) walks
through one; this page lists every key.

Every problem is reported at once, each with its file and JSON path (\`modbus2mqtt --check\`
prints the same):

\`\`\`text
my-meter.json: invalid profile, 3 problems:
  points[2].type: a coil holds one bit: its type is bool, not int16
  points[4].bit: 16 is not a bit of a register: a register has bits 0 (least significant) to 15
  capabilities[1].state.action: no point publishes the action "POWR" (actions: VOLTAGE, POWER)
\`\`\`

## Addresses (\`points[].address\`)

- A JSON **number** is the 0-based protocol address, what goes on the wire: \`0\` is the first
  register of its table. A string \`"0x0048"\` is the same in hexadecimal (register maps often list
  addresses so).
- A **string of 5 or 6 digits** is the register number of the "Modicon" convention many manuals
  use: the first digit is the table, the rest counts **from 1**. So \`"40001"\` (or \`"400001"\`) is
  holding register 0, \`"30073"\` input register 72, \`"00001"\` coil 0 and \`"10001"\` discrete
  input 0. With a register number, \`table\` may be left out; if given, it must agree.
- Register numbers are strings on purpose: \`40001\` as a number is protocol address 40001.
  If your manual says "register 30001" and "address 0" for the same value, it uses this
  convention; if it lists only addresses from 0 (or hex), use numbers.

| table | holds | read with | written with | register number |
| --- | --- | --- | --- | --- |
| \`coil\` | bits, read and written | function 1 | 5 (one), 15 (several) | 0xxxx |
| \`discrete\` | bits, read-only | function 2 | (read-only) | 1xxxx |
| \`input\` | 16-bit registers, read-only | function 4 | (read-only) | 3xxxx |
| \`holding\` | 16-bit registers, read and written | function 3 | 6 (one), 16 (several) | 4xxxx |

## Types and orders (\`type\`, \`byteOrder\`, \`wordOrder\`)

| type | registers | published as |
| --- | --- | --- |
| \`bool\` | 1 bit (coil, discrete) or 1 register (0 false, else true) | true / false |
| \`bit\` | one bit (\`bit\`: 0 least significant … 15) of a register; read-only | true / false |
| \`int16\`, \`uint16\` | 1 | number |
| \`int32\`, \`uint32\`, \`float32\` | 2 | number |
| \`int64\`, \`uint64\` | 4 | number up to 2^53 − 1 (9007199254740991); beyond, a decimal string, exact |
| \`float64\` | 4 | number |
| \`string\` | \`length\` registers, 2 latin1 characters each; trailing NULs and spaces dropped | string |

Values of several registers are most significant first in the Modbus norm ("big endian",
ABCD), but many devices swap words or bytes. Give the device's order once at the top of the
profile (or per group, or per point):

| byteOrder | wordOrder | name | float32 230.5 (0x43668000) arrives as |
| --- | --- | --- | --- |
| \`big\` | \`big\` | ABCD | \`0x4366 0x8000\` |
| \`big\` | \`little\` | CDAB ("word swap") | \`0x8000 0x4366\` |
| \`little\` | \`big\` | BADC ("byte swap") | \`0x6643 0x0080\` |
| \`little\` | \`little\` | DCBA | \`0x0080 0x6643\` |

For 64-bit types \`wordOrder\` reverses all four registers (ABCDEFGH becomes GHEFCDAB).

## Values read

- published = raw × \`scale\` + \`offset\`, rounded to \`decimals\` when given, else to 12
  significant digits (float32 to 7, its own precision, so 229.8 reads as 229.8 and not
  229.8000030517578).
- A float that is **NaN** or infinite is published as \`null\`: meters send NaN for a value they
  do not have (a phase not wired, a counter not started). It is no reading, not a bad answer;
  conventions leave the entity's last state as it was. Integer values listed in \`noValue\`
  (\`[32768]\`, \`[65535]\`) are published as \`null\` too.
- With an \`enum\`, the name of the raw value is published (\`"heat"\`); a raw value it does not
  list is published as its number.
- An answer of the wrong length, or a register that is not a 16-bit value, is a bad answer
  (\`MODBUS_BAD_ANSWER\`) for the points it holds: logged, not published.

## Statuses and commands

- Each point is published as a status: action \`action\` (default: the id in capitals,
  \`voltage-l1\` → \`VOLTAGE_L1\`), its value in the argument \`argument\` (default \`value\`):
  \`{"action": "VOLTAGE_L1", "value": 230.5}\`.
- A point with \`write\` takes the command \`<ACTION>_SET\` (or \`write.action\`) with the value
  in the same argument: \`{"action": "SETPOINT_SET", "value": 21.5}\`. A bool (a coil) also takes
  \`<ACTION>_ON\` and \`<ACTION>_OFF\` without a value. A bool accepts true/false, on/off, 1/0; an
  enum a name (or one of its raw values); a string latin1 text that fits.
- The value is checked before anything is sent: the point's type, \`write.min\`, \`write.max\`,
  \`write.step\` (counted from min, or 0), the enum's names, and whether scale and offset give
  a whole raw value. A refused command is answered ERROR with the reason
  (\`setpoint expects a number from 5 to 30 in steps of 0.5, got 31\`), and no request goes out.
- Writes use function 6 for one register and 16 for more (5 and 15 for coils); \`write.fc\`
  picks 16 (or 15) for a device that knows only those. A bit of a register cannot be written
  (it would rewrite the other 15), nor input registers and discrete inputs (read-only in
  Modbus). Two writable points may not share a register.

## Polling

- Each point is read every \`pollSeconds\`: its own, its group's, or the profile's (10 s).
- Points of one table due together are read in as few requests as possible: neighbours in one
  read up to 125 registers (2000 bits), with at most \`[INTERFACE] maxgap\` unused registers
  between two of them. A device that refuses such a read (ILLEGAL DATA ADDRESS, for a hole in its
  map) gets smaller reads, down to one point each, and the gateway remembers it.

## Capabilities (\`capabilities[]\`)

What the device can do, in @mg/core's device description terms, so that Home Assistant
discovery and Homie show it as entities; the device is declared once and both conventions
follow (its id and name come from \`[INTERFACE] devices\`, its maker and model from the profile).

- **Without \`capabilities\`**, each point gives one: a bool or bit is \`binary\`, a point with an
  enum an \`enum\` (its names as options), a string \`text\`, anything else a \`number\` with its
  unit and its write range. It is \`read\`, or \`readwrite\` (with its \`_SET\` command) when it is
  writable. The capability's id and name are the point's. A short profile thus shows up with a
  sensor per value and a control per writable one.
- **With \`capabilities\`**, exactly those are declared (leave a point out to keep it as a status
  only). Each is @mg/core's \`capabilitySchema\`, rules between keys included (an enum needs
  \`options\`, a readable capability needs \`state\`…), and the loader checks what it names: a
  \`state\` action and argument a point publishes, a \`command\` action a writable point takes
  (\`{"action": "RELAY1_SET", "argument": "value"}\`, or \`{"actions": {"on": "RELAY1_ON", "off":
  "RELAY1_OFF"}}\`), enum options among the point's names, a number's min and max within its
  write range.
- \`publish\`: the publish policy (@mg/core's: \`changeOnly\`, \`deadband\`, \`deadbandPercent\`,
  \`minInterval\`, \`refresh\`, \`retain\`) of a capability is its own keys over those of the point
  it reads, over its group's, over the profile's. A meter's energy counter wants
  \`{ "changeOnly": true, "refresh": 3600 }\`, a noisy voltage a \`deadband\`.

`;
