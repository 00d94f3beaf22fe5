import {
  ACPI_SLP_EN, PORT_ACPI_PM1A_CNT, PORT_CRT_DATA, PORT_CRT_INDEX, PORT_KEYBOARD_DATA, PORT_KEYBOARD_STATUS,
  PORT_HOST_EXIT, PORT_HOST_STDERR, PORT_HOST_STDOUT, PORT_LOG, PORT_PIC1_DATA, PORT_PIT_CHANNEL0, PORT_PIT_MODE,
} from './constants';

/** Where device output goes. Injected, so the machine itself does no I/O. */
export interface DeviceOutput {
  /** Bytes written to the log port, exactly as written. */
  log?(byte: number): void;
  /** Bytes a hosted program writes to its standard output and error (ports 0xE9, 0xEA). */
  stdout?(byte: number): void;
  stderr?(byte: number): void;
}

/** A key press, stamped with the instruction count at which it arrives (for determinism). */
export interface KeyEvent {
  readonly at: number;
  readonly key: number;
}

/**
 * The devices behind the I/O ports. All state is plain data (see `DeviceState`).
 *
 * - Keyboard (0x60 data, 0x64 status bit 0 = a key is waiting). It delivers
 *   ASCII codes, not scan codes: our keyboard controller translates.
 * - Log port (0x378): each byte written is passed to `DeviceOutput.log`.
 * - PIC (0x21): the interrupt mask; bit 0 clear unmasks the timer (IRQ0).
 * - PIT (0x40, 0x43): accepted and ignored. The timer fires every
 *   `instructionsPerTick` user-mode instructions instead of on wall-clock
 *   time, so runs are deterministic.
 * - CRT controller (0x3D4 index, 0x3D5 data): registers 14/15 hold the cursor.
 * - ACPI PM1a control (0x604): writing SLP_EN powers the machine off.
 * - Host ports for hosted programs: 0xE9 stdout, 0xEA stderr, 0xF4 exit
 *   status (the machine stops and reports it).
 */
export interface DeviceState {
  picMask: number;
  crtIndex: number;
  cursor: number;
  poweredOff: boolean;
  /** Keys not yet read, in arrival order. */
  keys: KeyEvent[];
  /** Bytes written to the log port so far (the bytes themselves go to the sink). */
  logBytes: number;
  /** Set when a hosted program wrote its exit status to port 0xF4. */
  exitStatus: number | null;
}

export function initialDeviceState(): DeviceState {
  return { picMask: 0xff, crtIndex: 0, cursor: 0, poweredOff: false, keys: [], logBytes: 0, exitStatus: null };
}

export class Devices {
  state: DeviceState = initialDeviceState();
  constructor(public output: DeviceOutput = {}) {}

  timerEnabled(): boolean {
    return (this.state.picMask & 1) === 0;
  }

  /** Queues a key to arrive once `at` instructions have retired. Keys stay in arrival order. */
  pressKey(key: number, at: number): void {
    const keys = this.state.keys;
    let i = keys.length;
    while (i > 0 && keys[i - 1]!.at > at) i--;
    keys.splice(i, 0, { at, key: key & 0xff });
  }

  in(port: number, icount: number): number {
    const s = this.state;
    switch (port) {
      case PORT_KEYBOARD_STATUS:
        return s.keys.length > 0 && s.keys[0]!.at <= icount ? 1 : 0;
      case PORT_KEYBOARD_DATA: {
        if (s.keys.length > 0 && s.keys[0]!.at <= icount) return s.keys.shift()!.key;
        return 0;
      }
      case PORT_PIC1_DATA:
        return s.picMask;
      case PORT_CRT_DATA:
        return s.crtIndex === 14 ? (s.cursor >> 8) & 0xff : s.crtIndex === 15 ? s.cursor & 0xff : 0;
      case PORT_CRT_INDEX:
        return s.crtIndex;
      default:
        return 0xffffffff; // nothing there: the bus floats high
    }
  }

  out(port: number, value: number): void {
    const s = this.state;
    switch (port) {
      case PORT_LOG:
        s.logBytes++;
        this.output.log?.(value & 0xff);
        return;
      case PORT_PIC1_DATA:
        s.picMask = value & 0xff;
        return;
      case PORT_CRT_INDEX:
        s.crtIndex = value & 0xff;
        return;
      case PORT_CRT_DATA:
        if (s.crtIndex === 14) s.cursor = (s.cursor & 0xff) | ((value & 0xff) << 8);
        else if (s.crtIndex === 15) s.cursor = (s.cursor & 0xff00) | (value & 0xff);
        return;
      case PORT_ACPI_PM1A_CNT:
        if (value & ACPI_SLP_EN) s.poweredOff = true;
        return;
      case PORT_HOST_STDOUT:
        this.output.stdout?.(value & 0xff);
        return;
      case PORT_HOST_STDERR:
        this.output.stderr?.(value & 0xff);
        return;
      case PORT_HOST_EXIT:
        s.exitStatus = value & 0xff;
        return;
      case PORT_PIT_CHANNEL0:
      case PORT_PIT_MODE:
      default:
        return;
    }
  }
}
