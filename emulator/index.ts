// The runtime facade: everything outside emulator/ (the CLI, and later the
// debug adapter and the webview's data) reaches the machine through this
// module and nothing else (ARCHITECTURE.md, invariant 6).

export { Machine } from './machine/machine';
export type { MachineConfig, MachineStatus, RunOptions, StopReason } from './machine/machine';
export type { DeviceOutput } from './machine/devices';
export type { ShutdownDiagnosis, FaultRecord } from './machine/diagnosis';
export { CpuFault, vectorName } from './machine/fault';
export { saveMachine, restoreMachine, hashMachine } from './machine/snapshot';
export type { MachineSnapshot } from './machine/snapshot';
export { assemble, AsmError } from './machine/isa/assembler';
export type { AssembledProgram } from './machine/isa/assembler';
export { disassemble, disassembleOne } from './machine/isa/disassembler';
export { walk, pageIndices, LEVEL_NAMES } from './machine/mmu/walk';
export type { WalkResult, WalkStep } from './machine/mmu/walk';
export { describeWalkFailure, describeFlags } from './machine/mmu/describe';
export { readConsole, consoleText } from './console';
export type { ConsoleScreen } from './console';
export { bootDemo } from './demo/boot-demo';
export { DEMO_TICK_LIMIT } from './demo/demo-kernel';
export { hex } from './machine/hex';
export { buildHosted, HOSTED_BASE, HOSTED_MEMORY_SIZE } from './hosted/build-hosted';
export { hostedSourceText } from './hosted/hosted-runtime';
export type { HostedBuildOptions, HostedBuildResult } from './hosted/build-hosted';
export { runHosted } from './hosted/run-hosted';
export type { HostedRunOptions, HostedRunResult } from './hosted/run-hosted';
export { describeHostedStop, sourceLocation, HOSTED_STATUS } from './hosted/describe-stop';
export type { HostedStopReport, SourceLocation } from './hosted/describe-stop';
export { formatDiagnostic } from './cc/diagnostic';
export type { Diagnostic, Severity } from './cc/diagnostic';
export type { SourceFile, SourceHost, SourceRange, SourcePosition } from './cc/source';
export type { LinkedImage } from './cc/link/link';
export { buildWeensyOS, WEENSY_PROGRAMS } from './weensyos/build-weensyos';
export type { WeensyBuild, WeensyBuildOptions, WeensyProgram, WeensyVariant } from './weensyos/build-weensyos';
export { bootWeensyOS, BOOT_COMMAND_ADDR, WEENSY_INSTRUCTIONS_PER_TICK } from './weensyos/boot-weensyos';
export type { WeensyBootOptions } from './weensyos/boot-weensyos';
export { weensyosFiles, weensyosFile, weensyosSourceText, WEENSYOS_ROOT } from './weensyos/weensyos-sources';
export { parseWeensyLog, PM_DUMP_PAGES, VM_DUMP_PAGES } from './weensyos/weensy-log';
export type { ParsedLog, MemoryDump, PhysicalDump, VirtualDump, PanicLine, LogProblem } from './weensyos/weensy-log';
export { gradeWeensyOS, describeOwner, GRADE_RUN_DEFINES, GRADE_LAST_TICK } from './weensyos/grade';
export type { GradeReport, GradeRunInput, GradeRunName, StepVerdict, RunFindings } from './weensyos/grade';
export { runWeensyOS, WeensyRun, describeWeensyFault, ticksAddress, WEENSY_UNTIL, DEFAULT_MAX_INSTRUCTIONS as WEENSY_MAX_INSTRUCTIONS } from './weensyos/run-weensyos';
export type { WeensyRunOptions, WeensyRunSummary, WeensyProgress, WeensyStopKind, WeensyUntil, WeensyKey, WeensyFaultSummary } from './weensyos/run-weensyos';
export { readKernelState, PO_FREE, PO_KERNEL, PO_RESERVED, P_FREE } from './weensyos/kernel-state';
export type { KernelState, PageInfo, ProcessInfo } from './weensyos/kernel-state';
export { auditPages, pageTableShape } from './weensyos/page-audit';
export type { Finding, FindingKind, Mapping, PageAudit, PageTableShape } from './weensyos/page-audit';
export { DebugSession, DEFAULT_SLICE as DEBUG_DEFAULT_SLICE } from './debug/session';
export type { LaunchResult } from './debug/session';
export { DebugError, KERNEL_THREAD_ID } from './debug/debug-types';
export type {
  LaunchOptions, LaunchFailure, SessionEvent, StopReasonName, OutputCategory, BreakpointOptions, SourceBreakpointSpec, FunctionBreakpointSpec,
  InstructionBreakpointSpec, ExceptionFilterId, ExceptionFilterSpec, ExceptionFilterDescription, DataBreakpointSpec, BreakpointResult,
  BreakpointLocation, ThreadRecord, StackFrameRecord, TrapRecord, ExceptionInfo, ExceptionDetails, EvaluationResult, ConditionEvaluator, StepGranularity,
} from './debug/debug-types';
export { defaultConditionEvaluator, evaluateInteger } from './debug/default-evaluator';
export { parseHitCondition } from './debug/hit-condition';
export { ProgramMap } from './debug/program-map';
export type { MappedImage, MappedFunction, ResolvedLine } from './debug/program-map';
export { EXCEPTION_FILTERS } from './debug/exception-filters';
export { topFrame, cpuRegister } from './debug/inspect/frame-context';
export type { FrameContext, InspectBuild, InspectProgram } from './debug/inspect/frame-context';
export { FIRST_DYNAMIC_REFERENCE, VariablesTable, frameOfScopeReference, scopeReference } from './debug/inspect/variables';
export type { DebugVariable, DebugScope, DataLocation, InspectResult } from './debug/inspect/variables';
export { evaluate, evaluateCondition, formatLogMessage } from './debug/inspect/evaluate';
export type { EvaluateOptions, EvaluateResult, ConditionFunction, Binding } from './debug/inspect/evaluate';
export { inspectConditionEvaluator } from './debug/inspect/condition-evaluator';
export { readMemory, writeMemory, memoryReference, parseMemoryReference } from './debug/inspect/memory';
export type { ReadMemoryResult, ParsedReference } from './debug/inspect/memory';
export type { AddressSpace } from './debug/inspect/address-space';
export { disassembleAround } from './debug/inspect/disassembly';
export type { DisassembledLine } from './debug/inspect/disassembly';
export { runConsoleCommand, isConsoleCommand } from './debug/inspect/console-commands';
export type { ConsoleCommandOptions, ConsoleCommandResult } from './debug/inspect/console-commands';
export { takeSnapshot, derivePageinfo } from './debug/inspect/snapshot';
export { diffSnapshots } from './debug/inspect/snapshot-diff';
export { translate } from './debug/inspect/translate';
export type { Translation, TranslationStep, TranslateTarget } from './debug/inspect/translate';
export { frameScope } from './debug/inspect/frame-scope';
export { kernelView, spaceOfPid, spaceOfCr3 } from './debug/inspect/kernel-view';
export type { KernelView } from './debug/inspect/kernel-view';
export { functionAt, lineAt, bodyStart, imageAt, programIn, symbolize } from './debug/inspect/images';
export { SNAPSHOT_VERSION } from './debug/inspect/snapshot-types';
export type * from './debug/inspect/snapshot-types';
// The language server's view of the compiler: one file checked as a launch compiles it (no
// linking), its typed unit and macros, and macro expansion for constant expressions.
export { checkWeensyFile } from './weensyos/check-weensyos';
export type { WeensyCheck, WeensyCheckOptions } from './weensyos/check-weensyos';
export { weensyRoleOf } from './weensyos/weensy-compile-options';
export type { WeensyRole, WeensyCompileSetup } from './weensyos/weensy-compile-options';
export type { FrontEndResult } from './cc/compile';
export type { MacroDefinition } from './cc/preprocess/macro';
export type { TranslationUnit, FunctionSymbol, VarSymbol } from './cc/ast';
export type { Type, Field, Tag, IntType } from './cc/types';
export { typeName, sizeOf, isSigned, asInt } from './cc/types';
export type { Token } from './cc/token';
export type { DeclaredName, DeclaredKind } from './cc/declared-names';
export { expandExpression as expandMacros } from './debug/inspect/expand-macros';
