// The inspection side of the debugger on the reference kernel, stopped in
// virtual_memory_map while process_setup loads process 1 (stop A) and in
// exception() once process 3 runs (stop B): scopes and variables,
// expression evaluation, setVariable.

import { beforeAll, describe, expect, test } from 'vitest';
import {
  evaluate, evaluateCondition, formatLogMessage, inspectConditionEvaluator, readKernelState, VariablesTable,
  type DebugVariable, type FrameContext, type Machine,
} from '../../emulator/index';
import { bootReference, functionBody, referenceBuild, runUntil } from './inspect-support';

const SLOW = { timeout: 300_000 };

let m: Machine;
let a: FrameContext;

function children(table: VariablesTable, ref: number, options: { start?: number; count?: number } = {}): DebugVariable[] {
  const r = table.variables(ref, options);
  if (!r.ok) throw new Error(r.error);
  return r.variables;
}

function child(list: DebugVariable[], name: string): DebugVariable {
  const v = list.find((x) => x.name === name);
  expect(v, `variable ${name} among ${list.map((x) => x.name).join(', ')}`).toBeDefined();
  return v!;
}

function value(ctx: FrameContext, expr: string): string {
  const r = evaluate(ctx, expr);
  if (!r.ok) throw new Error(`${expr}: ${r.error}`);
  return r.result;
}

function scalar(ctx: FrameContext, expr: string): bigint {
  const r = evaluate(ctx, expr);
  if (!r.ok || r.scalar === undefined) throw new Error(`${expr}: ${r.ok ? 'not a scalar' : r.error}`);
  return r.scalar;
}

describe('stopped in virtual_memory_map, called from process_setup for process 1', SLOW, () => {
  beforeAll(() => {
    const build = referenceBuild();
    m = bootReference();
    a = runUntil(m, build, functionBody(build, 'virtual_memory_map'), 'va == 0x100000 && pagetable == processes[1].p_pagetable');
  }, 300_000);

  test('Locals: the parameters, typed, values from registers and frame slots', () => {
    const table = new VariablesTable();
    const scopes = table.scopes(a);
    expect(scopes.map((s) => s.name)).toEqual(['Locals', 'Globals', 'Registers', 'Control registers', 'Current process', 'Page table']);
    const locals = children(table, scopes[0]!.variablesReference);
    expect(child(locals, 'va')).toMatchObject({ value: '0x100000', type: 'uintptr_t' });
    expect(child(locals, 'sz')).toMatchObject({ value: '4096', type: 'size_t' });
    expect(child(locals, 'perm')).toMatchObject({ value: '7', type: 'int' });
    expect(child(locals, 'allocator').value).toMatch(/^0x[0-9a-f]+ <allocate_pagetable_page>$/);
    const pt = child(locals, 'pagetable');
    expect(pt.type).toBe('x86_64_pagetable *');
    expect(BigInt(pt.value)).toBe(scalar(a, 'processes[1].p_pagetable'));
    // The pointer expands to the struct it points to.
    const entry = child(children(table, pt.variablesReference), 'entry');
    expect(entry.indexedVariables).toBe(512);
    const first = children(table, entry.variablesReference, { start: 0, count: 4 });
    expect(first.map((v) => v.name)).toEqual(['[0]', '[1]', '[2]', '[3]']);
    expect(first[0]!.evaluateName).toBe('pagetable->entry[0]');
    expect(BigInt(first[0]!.value)).toBe(scalar(a, 'pagetable->entry[0]'));
  });

  test('Globals: every global and file static, pageinfo[...].owner through the tree', () => {
    const table = new VariablesTable();
    const globals = children(table, table.scopes(a)[1]!.variablesReference);
    const names = globals.map((g) => g.name);
    for (const n of ['pageinfo', 'processes', 'current', 'ticks', 'kernel_pagetable', 'pagetable_owner']) expect(names).toContain(n);
    const pageinfo = child(globals, 'pageinfo');
    expect(pageinfo.type).toBe('physical_pageinfo [512]');
    const pages = children(table, pageinfo.variablesReference, { start: 256, count: 1 });
    expect(pages[0]!.name).toBe('[256]');
    const owner = child(children(table, pages[0]!.variablesReference), 'owner');
    expect(owner).toMatchObject({ value: '1', type: 'int8_t', evaluateName: 'pageinfo[256].owner' });
    const state = readKernelState(m.memory, referenceBuild().kernel);
    expect(state.pageinfo![256]!.owner).toBe(1);
    expect(child(globals, 'current').value).toBe('0x0');
  });

  test('Registers and control registers, decoded', () => {
    const table = new VariablesTable();
    const scopes = table.scopes(a);
    const regs = children(table, scopes[2]!.variablesReference);
    expect(regs.map((r) => r.name).slice(0, 16)).toEqual(['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15']);
    expect(child(regs, 'rip').value).toMatch(/^0x[0-9a-f]+ <virtual_memory_map\+0x[0-9a-f]+>$/);
    expect(child(regs, 'CPL').value).toBe('0 (kernel mode)');
    expect(child(regs, 'cs').value).toBe('0x8 (kernel code)');
    const flags = children(table, child(regs, 'rflags').variablesReference);
    expect(child(flags, 'IF').value).toBe('false');
    const cr = children(table, scopes[3]!.variablesReference);
    expect(child(cr, 'CR0').value).toMatch(/\[PE .*WP.* PG\]$/);
    const cr0 = children(table, child(cr, 'CR0').variablesReference);
    expect(child(cr0, 'PG').value).toBe('true');
    expect(child(cr0, 'WP').value).toBe('true');
    expect(child(cr, 'CR3').value).toMatch(/^0x[0-9a-f]+ \(the kernel page table/);
    expect(child(cr, 'CR3').memoryReference).toMatch(/^p:0x/);
    expect(child(cr, 'EFER').value).toMatch(/^0x[0-9a-f]+ \[.*\]$/);
  });

  test('Current process says when current is NULL', () => {
    const table = new VariablesTable();
    const cur = children(table, table.scopes(a)[4]!.variablesReference);
    expect(cur).toEqual([{ name: 'current', value: 'current is NULL: no process has run yet', variablesReference: 0 }]);
  });

  test('Page table: the current CR3 as a lazily expanded L1-L4 tree of decoded entries', () => {
    const table = new VariablesTable();
    const l1 = children(table, table.scopes(a)[5]!.variablesReference);
    const e0 = child(l1, '[0]');
    expect(e0.type).toBe('L1 entry');
    expect(e0.value).toMatch(/^0x0-0x7fffffffff → L2 table 0x[0-9a-f]+ \[P W U.*\], kernel$/);
    expect(e0.memoryReference).toMatch(/^p:0x/);
    const l2 = children(table, e0.variablesReference);
    expect(l2.slice(0, 7).map((v) => v.name)).toEqual(['index', 'covers', 'raw', 'entry address', 'physical address', 'flags', 'owner']);
    expect(child(l2, 'raw').value).toMatch(/^0x[0-9a-f]{16}$/);
    const flags = children(table, child(l2, 'flags').variablesReference);
    expect(flags.map((f) => f.name)).toEqual(['P', 'W', 'U', 'PWT', 'PCD', 'A', 'D', 'PS', 'G', 'NX']);
    // Down to a leaf: L2[0] -> L3[0] -> L4 entries mapping the kernel's first pages.
    const l3 = children(table, child(l2, '[0]').variablesReference);
    const l4 = children(table, child(l3, '[0]').variablesReference);
    const kernelPage = child(l4, '[64]');
    expect(kernelPage.value).toMatch(/^0x40000-0x40fff → page 0x40000 \[P.*\], kernel$/);
    // Where a data breakpoint on the entry would go.
    const l4Ref = child(l3, '[0]').variablesReference;
    const loc = table.dataLocation(l4Ref, '[64]');
    expect(loc.ok && loc.location.size).toBe(8);
  });

  test('evaluate: macros, casts, members, indexing, registers, functions', () => {
    expect(value(a, 'pageinfo[PAGENUMBER(0x100000)].owner')).toBe('1');
    expect(value(a, 'processes[1].p_registers.reg_rip')).toBe(String(scalar(a, '*(uint64_t*)&processes[1].p_registers.reg_rip')));
    expect(value(a, 'HZ')).toBe('100');
    expect(value(a, 'PAGEINDEX(0x2ff000, 3)')).toBe('255');
    expect(value(a, 'L3PAGEINDEX(va)')).toBe('0');
    expect(value(a, 'PTE_ADDR(0x12067)')).toBe('73728');
    expect(value(a, '(x86_64_pagetable*) rcr3()')).toMatch(/^0x[0-9a-f]+ <kernel_pagetables>$/);
    expect(scalar(a, '((x86_64_pagetable*) rcr3())->entry[0]')).toBe(scalar(a, 'kernel_pagetable->entry[0]'));
    expect(scalar(a, '(uintptr_t) kernel_pagetable')).toBe(BigInt(m.cpu.cr3));
    expect(value(a, '(proc*) &processes[1]')).toMatch(/<processes\+0xd8>$/);
    expect(value(a, '((proc*) &processes[0] + 1)->p_pid')).toBe('1');
    expect(value(a, 'sizeof(proc)')).toBe('216');
    expect(value(a, 'sizeof(x86_64_pagetable)')).toBe('4096');
    expect(value(a, 'sizeof pageinfo / sizeof pageinfo[0]')).toBe('512');
    expect(value(a, 'processes[1].p_state')).toBe('P_FREE');
    expect(value(a, 'P_RUNNABLE')).toBe('1');
    expect(value(a, 'processes[1].p_state == P_FREE ? 10 : 20')).toBe('10');
    expect(value(a, '$rip')).toBe('0x' + m.cpu.rip.toString(16));
    expect(scalar(a, '$rbx')).toBe(0x100000n);
    expect(value(a, '&virtual_memory_map')).toMatch(/<virtual_memory_map>$/);
    expect(value(a, 'va + PAGESIZE')).toBe('1052672');
    expect(value(a, '(char) 65')).toBe("65 'A'");
    expect(value(a, '(_Bool) 5')).toBe('true');
  });

  test('evaluate: C integer semantics on 64 bits', () => {
    expect(value(a, '-1 + 0u')).toBe('4294967295');
    expect(value(a, '-1 < 0u')).toBe('0');
    expect(value(a, '-1L < 0u')).toBe('1');
    expect(value(a, '1 << 31')).toBe('-2147483648');
    expect(value(a, '1UL << 63')).toBe('9223372036854775808');
    expect(value(a, '-7 / 2')).toBe('-3');
    expect(value(a, '-7 % 2')).toBe('-1');
    expect(value(a, '0xFFFFFFFFFFFFFFFF + 1')).toBe('0');
    expect(value(a, '(unsigned char) 0x1ff')).toBe("255 '\\377'");
    expect(value(a, '(int8_t) 0xfe')).toBe('-2');
    expect(value(a, '~0')).toBe('-1');
    expect(value(a, '!5 || 3 && 4')).toBe('1');
    expect(value(a, "'a' + 1")).toBe('98');
    expect(value(a, '&pageinfo[4] - &pageinfo[1]')).toBe('3');
  });

  test('evaluate: errors are results with messages, never throws', () => {
    const err = (expr: string): string => {
      const r = evaluate(a, expr);
      expect(r.ok, expr).toBe(false);
      return r.ok ? '' : r.error;
    };
    expect(err('no_such_thing')).toBe('no symbol "no_such_thing" in the current context');
    expect(err('1 +')).toMatch(/ends too soon/);
    expect(err(')(')).toMatch(/unexpected/);
    expect(err('va = 3')).toMatch(/side effects/);
    expect(err('va++')).toMatch(/side effects/);
    expect(err('current->p_pid')).toBe('cannot dereference a NULL pointer');
    expect(err('*(int*)0x2ff000')).toBe('cannot read memory: 0x2ff000 is not mapped in the kernel page table: L4 entry 255 is not present');
    expect(err('memset(0, 0, 0)')).toMatch(/^cannot call functions: memset\(\)/);
    expect(err('PAGEINDEX(va, 7)')).toMatch(/level 7 is not between 0 and 3/);
    expect(err('1 / 0')).toBe('division by zero');
    expect(err('processes.p_pid')).toMatch(/not a struct or union/);
    expect(err('processes[1].nope')).toBe("'proc' has no member named 'nope'");
    expect(err('(struct nosuch*) 0')).toMatch(/no struct nosuch/);
    expect(err('(nosuch_t) 0')).toMatch(/no symbol "nosuch_t"|unexpected/);
    expect(err('*(void*)va')).toMatch(/void/);
    expect(err('&perm')).toMatch(/register/);
    expect(err('"text"')).toMatch(/string literals/);
    expect(err('1.5')).toMatch(/floating point/);
    expect(err('#define X 1')).toMatch(/cannot start with #/);
    expect(err('$nosuch')).toMatch(/no register/);
    expect(err('')).toBe('empty expression');
    expect(err('[pid 9] 1')).toMatch(/process 9 has no page table/);
  });

  test('evaluate through a named address space', () => {
    // Process 1's page table is being built: 0x100000 is not yet mapped in it, and the kernel's maps it identity.
    expect(evaluate(a, '[pid 1] *(int*)0x100000')).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot read memory: 0x100000 is not mapped in process 1: L4 entry 256 is not present$/) });
    expect(scalar(a, '[kernel] *(int*)0x100000')).toBe(scalar(a, '[phys] *(int*)0x100000'));
    expect(evaluate(a, '*(int*)0x100000', { space: { pid: 1 } }).ok).toBe(false);
  });

  test('conditions and logpoints', () => {
    expect(evaluateCondition(a, 'va == 0x100000 && perm == (PTE_P|PTE_W|PTE_U)')).toBe(true);
    expect(evaluateCondition(a, 'sz > PAGESIZE')).toBe(false);
    expect(evaluateCondition(a, 'nonsense(')).toMatchObject({ error: expect.any(String) });
    expect(evaluateCondition(a, 'cr2 >= 0x100000 && write', { cr2: 0x2ff000, write: true })).toBe(true);
    expect(formatLogMessage(a, 'map {va} -> {pa} perm {perm} {{literal}} {bogus}')).toBe('map 0x100000 -> 0x100000 perm 7 {literal} <error: no symbol "bogus" in the current context>');
    const names = new Map([['pid', 9n]]);
    expect(inspectConditionEvaluator.evaluate('pid == 9 && va == 0x100000', a, names)).toMatchObject({ ok: true, value: 1n });
    expect(inspectConditionEvaluator.evaluate('processes[1]', a, names)).toMatchObject({ ok: true, display: expect.stringMatching(/^\{p_pid = 1/) });
    expect(inspectConditionEvaluator.evaluate('1 +', a, names)).toMatchObject({ ok: false });
  });

  test('setVariable on scalars: a register local, a global array element, a page entry', () => {
    const table = new VariablesTable();
    const scopes = table.scopes(a);
    const localsRef = scopes[0]!.variablesReference;
    const r = table.setVariable(localsRef, 'perm', 'PTE_P | PTE_W');
    expect(r).toMatchObject({ ok: true, variable: { name: 'perm', value: '3' } });
    expect(scalar(a, 'perm')).toBe(3n);
    expect(table.setVariable(localsRef, 'perm', '7').ok).toBe(true);
    expect(scalar(a, 'perm')).toBe(7n);
    expect(table.setVariable(localsRef, 'pagetable', 'processes[1].p_pagetable').ok).toBe(true);
    expect(table.setVariable(localsRef, 'nope', '1')).toMatchObject({ ok: false });
    expect(table.setVariable(localsRef, 'va', 'garbage(')).toMatchObject({ ok: false });

    const globals = children(table, scopes[1]!.variablesReference);
    const pages = children(table, child(globals, 'pageinfo').variablesReference, { start: 300, count: 1 });
    const before = scalar(a, 'pageinfo[300].refcount');
    expect(table.setVariable(pages[0]!.variablesReference, 'refcount', '5')).toMatchObject({ ok: true, variable: { value: '5' } });
    expect(scalar(a, 'pageinfo[300].refcount')).toBe(5n);
    expect(table.setVariable(pages[0]!.variablesReference, 'refcount', String(before)).ok).toBe(true);
    expect(table.setVariable(scopes[1]!.variablesReference, 'pageinfo', '1')).toMatchObject({ ok: false, error: expect.stringMatching(/only scalars/) });

    // A page entry's raw value, through the Page table scope.
    const l1 = children(table, scopes[5]!.variablesReference);
    const l2 = children(table, child(l1, '[0]').variablesReference);
    const raw = child(l2, 'raw').value;
    const set = table.setVariable(child(l1, '[0]').variablesReference, 'raw', `${raw} | PTE_D`);
    expect(set.ok && set.variable.value).toMatch(/\[P W U .*D.*\]/);
    expect(table.setVariable(child(l1, '[0]').variablesReference, 'raw', raw).ok).toBe(true);
  });

  test('references die with reset', () => {
    const table = new VariablesTable();
    const ref = table.scopes(a)[0]!.variablesReference;
    table.reset();
    expect(table.variables(ref)).toMatchObject({ ok: false, error: expect.stringMatching(/no variables reference/) });
  });

  test('evaluate with a table gives expandable results', () => {
    const table = new VariablesTable();
    const r = evaluate(a, 'processes[1]', {}, table);
    expect(r.ok && r.namedVariables).toBe(4);
    const fields = children(table, r.ok ? r.variablesReference : 0);
    expect(fields.map((f) => f.name)).toEqual(['p_pid', 'p_registers', 'p_state', 'p_pagetable']);
    expect(child(fields, 'p_state').evaluateName).toBe('processes[1].p_state');
  });
});

describe('stopped in exception() while process 3 runs', SLOW, () => {
  let b: FrameContext;
  beforeAll(() => {
    const build = referenceBuild();
    const machine = bootReference();
    b = runUntil(machine, build, functionBody(build, 'exception'), 'current->p_pid == 3 && ticks > 2');
  }, 300_000);

  test('current, pid and the Current process scope', () => {
    expect(value(b, 'current->p_pid')).toBe('3');
    expect(value(b, 'pid')).toBe('3');
    expect(value(b, '$pid')).toBe('3');
    expect(value(b, 'current->p_state')).toBe('P_RUNNABLE');
    expect(value(b, 'current == &processes[3]')).toBe('1');
    const table = new VariablesTable();
    const cur = children(table, table.scopes(b)[4]!.variablesReference);
    expect(child(cur, 'p_pid')).toMatchObject({ value: '3', evaluateName: 'current->p_pid' });
    expect(child(cur, 'p_registers').namedVariables).toBeGreaterThan(10);
    expect(child(cur, 'p_pagetable').type).toBe('x86_64_pagetable *');
  });

  test('reading through the own address space of the process', () => {
    // reg points at the trap frame on the kernel stack; the process's stack page is at 0x2ff000.
    expect(value(b, 'reg->reg_cs')).toBe('19');
    expect(evaluate(b, '[pid 3] *(int*)0x2ff000').ok).toBe(true);
    expect(evaluate(b, '[pid 3] *(int*)0x2fe000')).toMatchObject({ ok: false, error: 'cannot read memory: 0x2fe000 is not mapped in process 3: L4 entry 254 is not present' });
  });
});
