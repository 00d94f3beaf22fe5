/**
 * A decoded instruction. Plain integers only, one shape for every form, so the
 * interpreter's dispatch stays monomorphic: every field is always set.
 */
export interface Insn {
  /**
   * The operation: the opcode byte, except that the wide forms (disp32, rel32)
   * and the [abs32] forms execute as their base form (for push/pop: the base opcode).
   */
  readonly op: number;
  /** Register operand `a` (high nibble of the register byte), or the register of push/pop. */
  readonly a: number;
  /**
   * Register operand `b` (low nibble); the control register number of movcr/movrc;
   * ZERO_REG for the [abs32] forms; for beqi ... bgeui, the sign-extended imm8 that
   * a is compared with (where beq has register b).
   */
  readonly b: number;
  /** The index register of the [b + (c << s)] forms; otherwise 0. */
  readonly c: number;
  /**
   * Immediate, displacement, absolute address or branch offset, sign-extended to
   * int32; the low half of imm64; the scale shift s (0-3) of the indexed forms.
   */
  readonly imm: number;
  /** The high half of imm64 (movi a, imm64); otherwise the sign extension of imm. */
  readonly immHi: number;
  /** Encoded length in bytes. */
  readonly len: number;
}
