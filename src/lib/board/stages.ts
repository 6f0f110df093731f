/**
 * The lifecycle's stages (DESIGN.md §3). The flow runs Proposed → Plan → Do → Check → Act →
 * Standard; Parked and Declined are ends outside the flow. Shared by client and server.
 */
export const FLOW_STAGES = ['proposed', 'plan', 'do', 'check', 'act', 'standard'] as const;
export const OFF_FLOW_STAGES = ['parked', 'declined'] as const;
export const STAGES = [...FLOW_STAGES, ...OFF_FLOW_STAGES] as const;

export type FlowStage = (typeof FLOW_STAGES)[number];
export type Stage = (typeof STAGES)[number];

export function isStage(value: unknown): value is Stage {
	return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export function isFlowStage(value: unknown): value is FlowStage {
	return typeof value === 'string' && (FLOW_STAGES as readonly string[]).includes(value);
}
