// The page-table half of the WeensyOS support library (k-hardware.c), run
// on the machine inside small test kernels: virtual_memory_map,
// virtual_memory_lookup (NYU and CS61), hardware_init's kernel page table,
// set_pagetable, physical_memory_isreserved and process_init. The expected
// values come from /work/shared/weensyos/FACTS.md, sections 3-5.
//
// One kernel.c serves every case: the test writes `test_case` before the
// machine starts, the kernel runs that case, logs `name=value` lines and
// powers off. Built with TICK_LIMIT=1, so a panic (a failed assert) powers
// the machine off too, leaving its message on the console and in the log.

import { describe, expect, it } from 'vitest';
import { weensyosFile } from '../../emulator/index';
import { CR0_PG, CR0_WP, MEMSIZE_PHYSICAL } from '../../emulator/machine/constants';
import {
  KERNEL_PRELUDE, assertLine, buildKernel, describeRun, expectPoweroff, expectPrintedLine, logValues, read64, runImage, symbol,
  type KernelRun, SLOW,
} from './kernel-harness';

const KERNEL = String.raw`${KERNEL_PRELUDE}
int test_case = -1;
static x86_64_pagetable roots[2];
static x86_64_pagetable own[4];
static x86_64_pagetable spare;
static x86_64_pagetable lk[4];
static int alloc_attempts;

x86_64_pagetable* counting_alloc(void) {
    alloc_attempts++;
    return test_alloc();
}
x86_64_pagetable* misaligned_alloc(void) {
    return (x86_64_pagetable*) ((uintptr_t) test_alloc() + 8);
}

/* A private copy of the kernel's tables for [0, 2 MB): own[0..3]. */
static void copy_kernel_tables(void) {
    memset(own, 0, sizeof(own));
    own[0].entry[0] = (uintptr_t) &own[1] | PTE_P | PTE_W | PTE_U;
    own[1].entry[0] = (uintptr_t) &own[2] | PTE_P | PTE_W | PTE_U;
    own[2].entry[0] = (uintptr_t) &own[3] | PTE_P | PTE_W | PTE_U;
    x86_64_pagetable* l2 = (x86_64_pagetable*) PTE_ADDR(kernel_pagetable->entry[0]);
    x86_64_pagetable* l3 = (x86_64_pagetable*) PTE_ADDR(l2->entry[0]);
    x86_64_pagetable* l4 = (x86_64_pagetable*) PTE_ADDR(l3->entry[0]);
    memcpy(&own[3], l4, PAGESIZE);
}

static void log_lookup(const char* name, x86_64_pagetable* pt, uintptr_t va) {
    vamapping m = virtual_memory_lookup(pt, va);
    log_printf("%s=%d %lx %x\n", name, m.pn, m.pa, m.perm);
}

/* Lookups through lk[0..3], which map va 0x123456 to 0x45456 with these flags per level. */
static const int combos[][4] = {
    {7, 7, 7, 7}, {7, 7, 7, 0x67}, {7, 1, 7, 7}, {7, 7, 1, 7}, {1, 7, 7, 7},
    {7, 7, 7, 5}, {7, 3, 7, 7}, {7, 5, 7, 7}, {7, 7, 7, 0x1E7}, {0x27, 0x27, 0x27, 0x63},
    {7, 1, 7, 0x67}, {7, 7, 1, 0x67}, {7, 7, 3, 7}, {7, 3, 5, 7}, {5, 3, 7, 7},
    {6, 7, 7, 7}, {7, 6, 7, 7}, {7, 7, 6, 7}, {7, 7, 7, 6}, {7, 7, 7, 0},
};
static void lookup_combos(void) {
    for (int i = 0; i < (int) arraysize(combos); i++) {
        memset(lk, 0, sizeof(lk));
        lk[0].entry[0] = (uintptr_t) &lk[1] | combos[i][0];
        lk[1].entry[0] = (uintptr_t) &lk[2] | combos[i][1];
        lk[2].entry[0] = (uintptr_t) &lk[3] | combos[i][2];
        lk[3].entry[0x123] = 0x45000 | combos[i][3];
        vamapping m = virtual_memory_lookup(&lk[0], 0x123456);
        log_printf("combo%d=%d %lx %x\n", i, m.pn, m.pa, m.perm);
    }
}

void exception(x86_64_registers* reg) {
    panic("Unexpected exception %d!\n", (int) reg->reg_intno);
}

void kernel(const char* command) {
    (void) command;
    hardware_init();
    console_clear();
    x86_64_pagetable* root = &roots[0];
    int r;
    switch (test_case) {
    case 0:
        /* hardware_init's work, left for the test to read. */
        log_lookup("k_1ff123", kernel_pagetable, 0x1FF123);
        log_lookup("k_0", kernel_pagetable, 0);
        log_lookup("k_200000", kernel_pagetable, 0x200000);
        log_lookup("k_400000", kernel_pagetable, 0x400000);
        log_lookup("k_console", kernel_pagetable, 0xB8000);
        r = virtual_memory_map(kernel_pagetable, 0x300000, 0x50000, PAGESIZE, PTE_P | PTE_W, NULL);
        log_printf("k_map300000=%d\n", r);
        log_lookup("k_300000", kernel_pagetable, 0x300ABC);
        r = virtual_memory_map(kernel_pagetable, 0x400000, 0x50000, PAGESIZE, PTE_P | PTE_W, NULL);
        log_printf("k_map400000=%d\n", r);
        break;
    case 1:
        /* Building tables with an allocator. */
        r = virtual_memory_map(root, 0x123000, 0x45000, 0x2000, PTE_P | PTE_W | PTE_U, test_alloc);
        log_printf("map1=%d calls=%d\n", r, alloc_calls);
        r = virtual_memory_map(root, 0x125000, 0x47000, PAGESIZE, PTE_P | PTE_W, test_alloc);
        log_printf("map2=%d calls=%d\n", r, alloc_calls);
        r = virtual_memory_map(root, 0x126000, 0x48000, PAGESIZE, PTE_P | PTE_U | 0x200, test_alloc);
        log_printf("map3=%d calls=%d\n", r, alloc_calls);
        r = virtual_memory_map(root, 0x1FF000, 0x1F0000, 0x2000, PTE_P | PTE_W | PTE_U, test_alloc);
        log_printf("map4=%d calls=%d\n", r, alloc_calls);
        r = virtual_memory_map(root, 0x8000000000, 0x10000, PAGESIZE, PTE_P, test_alloc);
        log_printf("map5=%d calls=%d\n", r, alloc_calls);
        /* Unmapping, and perms without PTE_P: pa is ignored. */
        r = virtual_memory_map(root, 0x124000, 0, PAGESIZE, 0, test_alloc);
        log_printf("unmap=%d calls=%d\n", r, alloc_calls);
        r = virtual_memory_map(root, 0x125000, 0xDEAD000, PAGESIZE, PTE_W, test_alloc);
        log_printf("wonly=%d calls=%d\n", r, alloc_calls);
        /* Missing tables. */
        r = virtual_memory_map(root, 0x40000000, 0x5000, PAGESIZE, PTE_W | PTE_U, test_alloc);
        log_printf("noP_missing=%d calls=%d\n", r, alloc_calls);
        r = virtual_memory_map(root, 0x40000000, 0x5000, PAGESIZE, PTE_P | PTE_W | PTE_U, NULL);
        log_printf("noalloc_missing=%d calls=%d\n", r, alloc_calls);
        alloc_fail = 1;
        r = virtual_memory_map(root, 0x40000000, 0x5000, PAGESIZE, PTE_P | PTE_W | PTE_U, counting_alloc);
        log_printf("nullalloc_missing=%d attempts=%d\n", r, alloc_attempts);
        r = virtual_memory_map(root, 0x40000000, 0x5000, 0, PTE_P | PTE_W | PTE_U, NULL);
        log_printf("size0=%d\n", r);
        /* Existing tables need no allocator. */
        r = virtual_memory_map(root, 0x127000, 0x1FF000, PAGESIZE, PTE_P | PTE_W | PTE_U, NULL);
        log_printf("existing=%d\n", r);
        log_lookup("lk_123abc", root, 0x123ABC);
        log_lookup("lk_124000", root, 0x124000);
        log_lookup("lk_125000", root, 0x125000);
        log_lookup("lk_126000", root, 0x126000);
        log_lookup("lk_200fff", root, 0x200FFF);
        log_lookup("lk_8000000000", root, 0x8000000000);
        break;
    case 2:
        lookup_combos();
        break;
    case 3:
        /* set_pagetable on a good copy, and back. */
        copy_kernel_tables();
        set_pagetable(&own[0]);
        log_printf("cr3_own=%lx\n", rcr3());
        set_pagetable(kernel_pagetable);
        log_printf("cr3_kernel=%lx\n", rcr3());
        break;
    case 4:
        set_pagetable((x86_64_pagetable*) ((uintptr_t) kernel_pagetable + 8));
        break;
    case 5:
        copy_kernel_tables();
        own[3].entry[PAGENUMBER(default_int_handler)] = 0;
        set_pagetable(&own[0]);
        break;
    case 6:
        /* The kernel maps the page of own[0] elsewhere (to a copy of it). */
        copy_kernel_tables();
        memcpy(&spare, &own[0], PAGESIZE);
        r = virtual_memory_map(kernel_pagetable, (uintptr_t) &own[0], (uintptr_t) &spare, PAGESIZE, PTE_P | PTE_W | PTE_U, NULL);
        tlbflush();
        set_pagetable(&own[0]);
        break;
    case 7:
        copy_kernel_tables();
        own[3].entry[PAGENUMBER(kernel_pagetable)] = 0;
        set_pagetable(&own[0]);
        break;
    case 8:
        copy_kernel_tables();
        own[3].entry[PAGENUMBER(virtual_memory_map)] = 0;
        set_pagetable(&own[0]);
        break;
    case 9: {
        static const uintptr_t addrs[] = {0, 1, 0xFFF, 0x1000, 0x9FFFF, 0xA0000, 0xB8000, 0xFFFFF, 0x100000, 0x1FF000, 0x200000};
        for (int i = 0; i < (int) arraysize(addrs); i++) {
            log_printf("reserved_%lx=%d\n", addrs[i], physical_memory_isreserved(addrs[i]));
        }
        break;
    }
    case 10:
        for (int i = 1; i <= 4; i++) {
            memset(&processes[i], 0xFF, sizeof(proc));
            processes[i].p_pid = i;
            processes[i].p_state = P_BLOCKED;
        }
        process_init(&processes[1], 0);
        process_init(&processes[2], PROCINIT_ALLOW_PROGRAMMED_IO);
        process_init(&processes[3], PROCINIT_DISABLE_INTERRUPTS);
        process_init(&processes[4], PROCINIT_ALLOW_PROGRAMMED_IO | PROCINIT_DISABLE_INTERRUPTS);
        log_printf("sizeof_proc=%d off_regs=%d off_state=%d off_pt=%d\n", (int) sizeof(proc),
                   (int) offsetof(proc, p_registers), (int) offsetof(proc, p_state), (int) offsetof(proc, p_pagetable));
        break;
    /* The asserts of virtual_memory_map. */
    case 20: virtual_memory_map(root, 0x1001, 0, PAGESIZE, PTE_P, test_alloc); break;
    case 21: virtual_memory_map(root, 0x1000, 0x1000, 0x800, PTE_P, test_alloc); break;
    case 22: virtual_memory_map(root, 0xFFFFFFFFFFFFF000, 0x1000, 0x2000, 0, test_alloc); break;
    case 23: virtual_memory_map(root, 0x1000, 0x1008, PAGESIZE, PTE_P, test_alloc); break;
    case 24: virtual_memory_map(root, 0x1000, 0xFFFFFFFFFFFFF000, 0x2000, PTE_P, test_alloc); break;
    case 25: virtual_memory_map(root, 0x1000, 0x1FF000, 0x2000, PTE_P, test_alloc); break;
    case 26: virtual_memory_map(root, 0x1000, 0x1000, PAGESIZE, 0x1001, test_alloc); break;
    case 27: virtual_memory_map(root, 0x1000, 0x1000, PAGESIZE, -1, test_alloc); break;
    case 28: virtual_memory_map((x86_64_pagetable*) ((uintptr_t) root + 8), 0x1000, 0x1000, PAGESIZE, PTE_P, test_alloc); break;
    case 29:
        root->entry[0] = (uintptr_t) &own[0] | PTE_P | PTE_U;
        virtual_memory_map(root, 0x1000, 0x1000, PAGESIZE, PTE_P | PTE_W, test_alloc);
        break;
    case 30:
        root->entry[0] = (uintptr_t) &own[0] | PTE_P | PTE_W;
        virtual_memory_map(root, 0x1000, 0x1000, PAGESIZE, PTE_P | PTE_U, test_alloc);
        break;
    case 31:
        root->entry[0] = 0x200000 | PTE_P | PTE_W | PTE_U;
        virtual_memory_map(root, 0x1000, 0x1000, PAGESIZE, PTE_P, test_alloc);
        break;
    case 32: virtual_memory_map(root, 0x1000, 0x1000, PAGESIZE, PTE_P, misaligned_alloc); break;
    /* Cases that must not panic: the pa checks only apply with PTE_P. */
    case 40:
        r = virtual_memory_map(root, 0x1000, 0x1008, PAGESIZE, PTE_W, test_alloc);
        log_printf("pa_misaligned_noP=%d\n", r);
        r = virtual_memory_map(root, 0x1000, 0x1FF000, 0x2000, 0, test_alloc);
        log_printf("pa_beyond_noP=%d\n", r);
        r = virtual_memory_map(root, 0x1000, 0x1FF000, PAGESIZE, PTE_P, test_alloc);
        log_printf("pa_last_page=%d\n", r);
        r = virtual_memory_map(root, 0x2000, 0x1000, PAGESIZE, 0xFFF, test_alloc);
        log_printf("perm_fff=%d\n", r);
        log_printf("leaf2000=%lx\n", ((x86_64_pagetable*) alloc_last)->entry[2]);
        break;
    default:
        log_printf("no such case %d\n", test_case);
    }
    log_printf("done=1\n");
    poweroff();
}
`;

const build = (variant?: 'nyu' | 'cs61') => buildKernel(KERNEL, { defines: { TICK_LIMIT: '1' }, variant });
const runCase = (n: number, variant?: 'nyu' | 'cs61'): KernelRun => {
  const run = runImage(build(variant), { poke: { test_case: n } });
  expectPoweroff(run);
  return run;
};
const PWU = 7n;

/** A lookup result as logged: "pn pa perm". */
function lookup(pn: number, pa: bigint | number, perm: number): string {
  return `${pn} ${BigInt(pa).toString(16)} ${perm.toString(16)}`;
}
const UNMAPPED = lookup(-1, 0xffffffffffffffffn, 0);


const HARDWARE = weensyosFile('k-hardware.c')!;
// __FILE__ is the name the course's makefile would compile: 'k-hardware.c'.
const FILE = 'k-hardware.c';

/** Expects a panic from a failed `assert(expr)` in k-hardware.c: on row 23 in 0xC000, and in the log. */
function expectAssert(run: KernelRun, expr: string, inFunction?: string): void {
  const message = `PANIC: ${FILE}:${assertLine(HARDWARE, expr, inFunction)}: assertion '${expr}' failed`;
  expectPrintedLine(run, 23 * 80, message, 0xc000);
  expect(run.log).toBe(`${message}\n`);
}

describe('hardware_init', SLOW, () => {
  it('chains five zeroed kernel page tables with P|W|U and points kernel_pagetable at the first', () => {
    const run = runCase(0);
    const m = run.machine;
    const tables = symbol(run.image, 'kernel_pagetables');
    const t = (i: number) => tables + i * 4096;
    expect(tables % 4096).toBe(0);
    expect(tables).toBeGreaterThanOrEqual(symbol(run.image, 'start_data'));
    expect(tables + 5 * 4096).toBeLessThanOrEqual(symbol(run.image, 'end'));
    expect(read64(m, symbol(run.image, 'kernel_pagetable'))).toBe(BigInt(t(0)));
    // The chain entries; the hardware may have set A (0x20) on them.
    const chain = (e: bigint) => e & ~0x20n;
    expect(chain(read64(m, t(0)))).toBe(BigInt(t(1)) | PWU);
    expect(chain(read64(m, t(1)))).toBe(BigInt(t(2)) | PWU);
    expect(chain(read64(m, t(2)))).toBe(BigInt(t(3)) | PWU);
    expect(chain(read64(m, t(2) + 8))).toBe(BigInt(t(4)) | PWU);
    for (let i = 1; i < 512; i++) {
      expect(read64(m, t(0) + 8 * i), `L1 entry ${i}`).toBe(0n);
      expect(read64(m, t(1) + 8 * i), `L2 entry ${i}`).toBe(0n);
      if (i >= 2) expect(read64(m, t(2) + 8 * i), `L3 entry ${i}`).toBe(0n);
    }
    // [0, MEMSIZE_PHYSICAL) identity P|W|U (A and D aside), page 0 included.
    for (let i = 0; i < 512; i++) {
      expect(read64(m, t(3) + 8 * i) & ~0x60n, `leaf ${i}`).toBe(BigInt(i * 4096) | PWU);
    }
    // The machine ran kernel() with the test-case variable poked into .data, so the
    // second leaf table is as hardware_init left it except for the case's own mapping.
    const v = logValues(run);
    for (let i = 0; i < 512; i++) {
      expect(read64(m, t(4) + 8 * i) & ~0x60n, `second leaf ${i}`).toBe(i === 0x100 ? 0x50000n | 3n : 0n);
    }
    expect(v.get('k_1ff123')).toBe(lookup(0x1ff, 0x1ff123, 7));
    expect(v.get('k_0')).toBe(lookup(0, 0, 7));
    expect(v.get('k_200000')).toBe(UNMAPPED);
    expect(v.get('k_400000')).toBe(UNMAPPED);
    expect(v.get('k_console')).toBe(lookup(0xb8, 0xb8000, 7));
    // VA 0x200000-0x3FFFFF needs no allocation; 0x400000 does.
    expect(v.get('k_map300000')).toBe('0');
    expect(v.get('k_300000')).toBe(lookup(0x50, 0x50abc, 3));
    expect(v.get('k_map400000')).toBe('-1');
  });

  it('turns on paging with CR0.PG and CR0.WP and loads kernel_pagetable into CR3', () => {
    const run = runCase(0);
    expect((run.machine.cpu.cr0 & CR0_PG) >>> 0).toBe(CR0_PG);
    expect((run.machine.cpu.cr0 & CR0_WP) >>> 0).toBe(CR0_WP);
    expect(run.machine.cpu.cr3).toBe(symbol(run.image, 'kernel_pagetables'));
  });
});

describe('virtual_memory_map', SLOW, () => {
  const run = () => runCase(1);

  it('writes pa | perm at the leaf, making missing tables with the allocator, zeroed and linked P|W|U', () => {
    const r = run();
    const m = r.machine;
    const v = logValues(r);
    expect(v.get('map1'), describeRun(r)).toBe('0 calls=3');
    expect(v.get('map2')).toBe('0 calls=3');
    expect(v.get('map3')).toBe('0 calls=3');
    expect(v.get('map4')).toBe('0 calls=4');
    expect(v.get('map5')).toBe('0 calls=7');
    const root = symbol(r.image, 'roots');
    const pool = symbol(r.image, 'test_pool');
    const p = (i: number) => pool + 4096 * i;
    // The chain for VA 0x123000: root[0] -> pool 0 -> pool 1 -> pool 2 (the leaf table).
    expect(read64(m, root)).toBe(BigInt(p(0)) | PWU);
    expect(read64(m, p(0))).toBe(BigInt(p(1)) | PWU);
    expect(read64(m, p(1))).toBe(BigInt(p(2)) | PWU);
    expect(read64(m, p(2) + 8 * 0x123)).toBe(0x45000n | PWU);
    expect(read64(m, p(2) + 8 * 0x126)).toBe(0x48000n | 0x205n);
    expect(read64(m, p(2) + 8 * 0x127)).toBe(0x1ff000n | PWU);
    expect(read64(m, p(2) + 8 * 0x1ff)).toBe(0x1f0000n | PWU);
    // 0x200000 is the next 2 MB region: a new leaf table (pool 3) under L3 entry 1.
    expect(read64(m, p(1) + 8)).toBe(BigInt(p(3)) | PWU);
    expect(read64(m, p(3))).toBe(0x1f1000n | PWU);
    // VA 0x8000000000: L1 index 1, three new tables (pool 4, 5, 6).
    expect(read64(m, root + 8)).toBe(BigInt(p(4)) | PWU);
    expect(read64(m, p(4))).toBe(BigInt(p(5)) | PWU);
    expect(read64(m, p(5))).toBe(BigInt(p(6)) | PWU);
    expect(read64(m, p(6))).toBe(0x10000n | 1n);
    // Everything else in the new tables is zero (the allocator handed them out full of 0xAB).
    const used = new Map<number, number[]>([[0, [0]], [1, [0, 1]], [2, [0x123, 0x124, 0x125, 0x126, 0x127, 0x1ff]], [3, [0]], [4, [0]], [5, [0]], [6, [0]]]);
    for (const [table, entries] of used) {
      for (let i = 0; i < 512; i++) {
        if (!entries.includes(i)) expect(read64(m, p(table) + 8 * i), `pool ${table} entry ${i}`).toBe(0n);
      }
    }
    // The eighth pool page was never handed out.
    expect(read64(m, p(7))).toBe(0n);
    // The lookups agree.
    expect(v.get('lk_123abc')).toBe(lookup(0x45, 0x45abc, 7));
    expect(v.get('lk_126000')).toBe(lookup(0x48, 0x48000, 5));
    expect(v.get('lk_200fff')).toBe(lookup(0x1f1, 0x1f1fff, 7));
    expect(v.get('lk_8000000000')).toBe(lookup(0x10, 0x10000, 1));
  });

  it('without PTE_P writes perm itself at the leaf (perm 0 unmaps), ignoring pa', () => {
    const r = run();
    const v = logValues(r);
    const leaf = symbol(r.image, 'test_pool') + 2 * 4096;
    expect(v.get('unmap')).toBe('0 calls=7');
    expect(read64(r.machine, leaf + 8 * 0x124)).toBe(0n);
    expect(v.get('lk_124000')).toBe(UNMAPPED);
    expect(v.get('wonly')).toBe('0 calls=7');
    expect(read64(r.machine, leaf + 8 * 0x125)).toBe(2n);
    expect(v.get('lk_125000')).toBe(UNMAPPED);
  });

  it('with a table missing: continues silently when perm lacks PTE_P, returns -1 when it has PTE_P and no table can be made', () => {
    const r = run();
    const v = logValues(r);
    expect(v.get('noP_missing')).toBe('0 calls=7');
    expect(v.get('noalloc_missing')).toBe('-1 calls=7');
    expect(v.get('nullalloc_missing')).toBe('-1 attempts=1');
    expect(v.get('size0')).toBe('0');
    expect(v.get('existing')).toBe('0');
    // Nothing was linked for VA 0x40000000 (L2 index 1 under pool 0).
    expect(read64(r.machine, symbol(r.image, 'test_pool') + 8)).toBe(0n);
  });

  it('checks pa only when perm has PTE_P; pa + sz may reach MEMSIZE_PHYSICAL exactly; perm 0xFFF is allowed', () => {
    const r = runCase(40);
    const v = logValues(r);
    expect(v.get('pa_misaligned_noP'), describeRun(r)).toBe('0');
    expect(v.get('pa_beyond_noP')).toBe('0');
    expect(v.get('pa_last_page')).toBe('0');
    expect(v.get('perm_fff')).toBe('0');
    expect(v.get('leaf2000')).toBe((0x1000 | 0xfff).toString(16));
  });

  const asserts: [number, string, string, string?][] = [
    [20, 'va not page-aligned', 'va % PAGESIZE == 0'],
    [21, 'sz not a multiple of PAGESIZE', 'sz % PAGESIZE == 0'],
    [22, 'va + sz wraps', 'va + sz >= va || va + sz == 0'],
    [23, 'pa not page-aligned (with PTE_P)', 'pa % PAGESIZE == 0'],
    [24, 'pa + sz wraps (with PTE_P)', 'pa + sz >= pa || pa + sz == 0'],
    [25, 'pa + sz > MEMSIZE_PHYSICAL (with PTE_P)', 'pa + sz <= MEMSIZE_PHYSICAL'],
    [26, 'perm >= 0x1000', 'perm >= 0 && perm < 0x1000'],
    [27, 'perm < 0', 'perm >= 0 && perm < 0x1000'],
    [28, 'page table not page-aligned', 'PAGEOFFSET(pagetable) == 0', 'int virtual_memory_map('],
    [29, 'perm asks for W and an intermediate entry lacks it', '!(perm & PTE_W) || (*pe & PTE_W)'],
    [30, 'perm asks for U and an intermediate entry lacks it', '!(perm & PTE_U) || (*pe & PTE_U)'],
    [31, 'an intermediate entry points beyond physical memory', 'PTE_ADDR(*pe) < MEMSIZE_PHYSICAL'],
    [32, 'the allocator returns a misaligned page', 'PAGEOFFSET(fresh) == 0'],
  ];
  for (const [n, what, expr, inFunction] of asserts) {
    it(`panics with the assert message when ${what}`, () => expectAssert(runCase(n), expr, inFunction));
  }
});

describe('virtual_memory_lookup', SLOW, () => {
  // The flags of the four entries of each case, as in the kernel's combos[].
  const combos = [
    [7, 7, 7, 7], [7, 7, 7, 0x67], [7, 1, 7, 7], [7, 7, 1, 7], [1, 7, 7, 7],
    [7, 7, 7, 5], [7, 3, 7, 7], [7, 5, 7, 7], [7, 7, 7, 0x1e7], [0x27, 0x27, 0x27, 0x63],
    [7, 1, 7, 0x67], [7, 7, 1, 0x67], [7, 7, 3, 7], [7, 3, 5, 7], [5, 3, 7, 7],
    [6, 7, 7, 7], [7, 6, 7, 7], [7, 7, 6, 7], [7, 7, 7, 6], [7, 7, 7, 0],
  ];
  const mapped = (perm: number) => lookup(0x45, 0x45456, perm);

  it('NYU: perm is the AND of P|W|U over the four levels; unmapped is {-1, -1, 0}', () => {
    const v = logValues(runCase(2));
    combos.forEach((flags, i) => {
      const present = flags.every((f) => f & 1);
      const expected = present ? mapped(flags.reduce((a, f) => a & f, 7)) : UNMAPPED;
      expect(v.get(`combo${i}`), `flags ${flags.map((f) => f.toString(16))}`).toBe(expected);
    });
    // The facts' examples, spelled out.
    expect(v.get('combo1')).toBe(mapped(7));
    expect(v.get('combo2')).toBe(mapped(1));
    expect(v.get('combo3')).toBe(mapped(1));
  });

  it('CS61: perm is the leaf flags (A/D included), with the two-levels-up quirk', () => {
    const v = logValues(runCase(2, 'cs61'));
    // The facts' examples: leaf 0x67 under P|W|U tables gives 0x67; a level-1
    // entry lacking W|U takes them away (1); a level-2 entry lacking them does not (7).
    expect(v.get('combo1')).toBe(mapped(0x67));
    expect(v.get('combo2')).toBe(mapped(1));
    expect(v.get('combo3')).toBe(mapped(7));
    // The rest against a model of `pe = entry & ~(prev & (W|U))`.
    combos.forEach((flags, i) => {
      let pe = 7;
      let level = 0;
      for (; level <= 3 && pe & 1; level++) pe = flags[level]! & ~(pe & 6);
      const expected = pe & 1 && level === 4 ? mapped(pe & 0xfff) : UNMAPPED;
      expect(v.get(`combo${i}`), `flags ${flags.map((f) => f.toString(16))}`).toBe(expected);
    });
  });

  it('CS61: the kernel table after boot shows the accessed and dirty bits the hardware set', () => {
    const nyu = logValues(runCase(0));
    const cs61 = logValues(runCase(0, 'cs61'));
    // console_clear wrote the console page: A and D are set on its leaf entry.
    expect(nyu.get('k_console')).toBe(lookup(0xb8, 0xb8000, 7));
    expect(cs61.get('k_console')).toBe(lookup(0xb8, 0xb8000, 0x67));
    expect(cs61.get('k_200000')).toBe(UNMAPPED);
  });
});

describe('set_pagetable', SLOW, () => {
  it('loads CR3 with a page table that maps the kernel at its own addresses', () => {
    const r = runCase(3);
    const v = logValues(r);
    expect(v.get('cr3_own'), describeRun(r)).toBe(symbol(r.image, 'own').toString(16));
    expect(v.get('cr3_kernel')).toBe(symbol(r.image, 'kernel_pagetables').toString(16));
  });

  it('asserts the page table is page-aligned', () => {
    expectAssert(runCase(4), 'PAGEOFFSET(pagetable) == 0', 'void set_pagetable(');
  });

  it('asserts the page table maps default_int_handler at its own address', () => {
    expectAssert(runCase(5), 'maps_identity(pagetable, (uintptr_t) default_int_handler)');
  });

  it('asserts kernel_pagetable maps the page table at its own address', () => {
    expectAssert(runCase(6), 'maps_identity(kernel_pagetable, (uintptr_t) pagetable)');
  });

  it('asserts the page table maps the kernel page table at its own address', () => {
    expectAssert(runCase(7), 'maps_identity(pagetable, (uintptr_t) kernel_pagetable)');
  });

  it("asserts the page table maps virtual_memory_map's code at its own address", () => {
    const image = build();
    const samePage = Math.floor(symbol(image, 'virtual_memory_map') / 4096) === Math.floor(symbol(image, 'default_int_handler') / 4096);
    // When both functions share a page, the default_int_handler check fires first.
    expectAssert(runCase(8), samePage ? 'maps_identity(pagetable, (uintptr_t) default_int_handler)' : 'maps_identity(pagetable, (uintptr_t) virtual_memory_map)');
  });
});

describe('physical_memory_isreserved', SLOW, () => {
  it('is true for address 0 and for [0xA0000, 0x100000) only', () => {
    const v = logValues(runCase(9));
    const expected: [number, number][] = [
      [0, 1], [1, 0], [0xfff, 0], [0x1000, 0], [0x9ffff, 0], [0xa0000, 1], [0xb8000, 1], [0xfffff, 1],
      [0x100000, 0], [0x1ff000, 0], [MEMSIZE_PHYSICAL, 0],
    ];
    for (const [pa, r] of expected) expect(v.get(`reserved_${pa.toString(16)}`), `pa 0x${pa.toString(16)}`).toBe(String(r));
  });
});

describe('process_init', SLOW, () => {
  it('clears the registers and sets cs 0x13, ss/fs/gs 0x23 and rflags 0x200 (IF), touching nothing else', () => {
    const r = runCase(10);
    const v = logValues(r);
    expect(v.get('sizeof_proc')).toBe('216 off_regs=8 off_state=200 off_pt=208');
    const procs = symbol(r.image, 'processes');
    const m = r.machine;
    const rflags = [0x200n, 0x3200n, 0n, 0x3000n];
    for (let pid = 1; pid <= 4; pid++) {
      const p = procs + 216 * pid;
      const regs = p + 8;
      expect(read64(m, p) & 0xffffffffn, 'p_pid').toBe(BigInt(pid));
      expect(read64(m, p + 200) & 0xffffffffn, 'p_state').toBe(2n);
      expect(read64(m, p + 208), 'p_pagetable untouched').toBe(0xffffffffffffffffn);
      for (let off = 0; off < 192; off += 8) {
        const expected =
          off === 120 || off === 128 ? 0x23n // reg_fs, reg_gs
            : off === 160 ? 0x13n // reg_cs and its padding
              : off === 168 ? rflags[pid - 1]!
                : off === 184 ? 0x23n // reg_ss and its padding
                  : 0n;
        expect(read64(m, regs + off), `process ${pid} register offset ${off}`).toBe(expected);
      }
    }
  });
});
