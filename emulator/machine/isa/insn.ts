/**
 * A decoded instruction. Plain integers only, one shape for every form, so the
 * interpreter's dispatch stays monomorphic.
 */
export interface Insn {
  /** The opcode byte; for push/pop the base opcode (the register is in `a`). */
  readonly op: number;
  /** Register operand `a` (high nibble of the register byte), or the register of push/pop. */
  readonly a: number;
  /** Register operand `b` (low nibble), or the control register number of movcr/movrc. */
  readonly b: number;
  /** Immediate, displacement or branch offset, sign-extended to int32; the low half of imm64. */
  readonly imm: number;
  /** The high half of imm64 (movi a, imm64); otherwise the sign extension of imm. */
  readonly immHi: number;
  /** Encoded length in bytes. */
  readonly len: number;
}
