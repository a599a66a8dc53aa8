export { startSimulator, API_BASE_PATH, COMPLETIONS_PATH } from './server';
export type { LatencySpec, RecordedRequest, Simulator, SimulatorOptions } from './types';
export type { Elsewhere } from './elsewhere';
export { ELSEWHERE_ANSWER } from './elsewhere';
export type { Fault, FaultPlan, FaultPlanFunction, RandomFaultKind, RandomFaultPlan } from './faults';
export { parseDirectives } from './faults';
export {
	classify,
	countTokens,
	DEFAULT_API_KEY,
	DEFAULT_MIX_TUNING_IDS,
	MESSAGE_OVERHEAD_TOKENS,
	promptTokens,
} from './contract';
export type { SimulatorLimits } from './limits';
