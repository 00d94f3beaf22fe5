import { it } from 'vitest';
import { weensyWorld, REC_INTNO, REC_COUNT } from './weensy-env';
it('scratch', () => {
  const w = weensyWorld({ user: `start: int 48\n after: movi rax, 0x300000\n ld64 rax, [rax]\n` });
  w.startUser();
  const s = w.m.run(1000);
  console.log(s, w.rec(REC_INTNO).toString(16), w.rec(REC_COUNT), w.m.cpu.rip.toString(16), w.frame('rip').toString(16), w.frame('err'));
});
