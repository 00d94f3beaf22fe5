/** What a memory access is for. */
export type AccessKind = 'read' | 'write' | 'fetch';

/**
 * One memory access, as the paging unit sees it (SDM Vol. 3A, 4.6).
 * `user` is true for a user-mode access: CPL 3 and not an implicit supervisor
 * access. Accesses the CPU makes on its own behalf while delivering a trap
 * (reading the IDT and TSS, pushing the trap frame) are supervisor-mode
 * accesses even when they start from user mode.
 */
export interface Access {
  readonly kind: AccessKind;
  readonly user: boolean;
}

/** The control-register state the walk depends on. */
export interface PagingRegisters {
  readonly cr0: number;
  /** Physical address of the top-level (L1) table; the low 12 bits are ignored. */
  readonly cr3: number;
  readonly cr4: number;
  readonly efer: number;
}

export const READ: Access = { kind: 'read', user: false };
export const WRITE: Access = { kind: 'write', user: false };
export const FETCH: Access = { kind: 'fetch', user: false };
export const USER_READ: Access = { kind: 'read', user: true };
export const USER_WRITE: Access = { kind: 'write', user: true };
export const USER_FETCH: Access = { kind: 'fetch', user: true };
