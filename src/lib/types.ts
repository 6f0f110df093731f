/**
 * What leaves the server: the data transfer objects that loads and actions return. Rows, hashes,
 * tokens and sessions never appear here.
 */
import type { Role } from './roles';

/** The signed-in person, as every page sees them (root layout). */
export interface UserDto {
	id: string;
	name: string;
	email: string;
	isOrgAdmin: boolean;
}

export interface TeamSummaryDto {
	id: string;
	name: string;
	/** The person's role in this team (admin for org admins). */
	role: Role;
}

export interface BoardSummaryDto {
	id: string;
	name: string;
	teamId: string;
}

export interface TeamWithBoardsDto extends TeamSummaryDto {
	boards: BoardSummaryDto[];
}

/**
 * The board page's data (`src/routes/boards/[boardId]/+page.server.ts`). Keep this shape stable:
 * the live board UI is built on it.
 */
export interface BoardPageData {
	board: { id: string; name: string; teamId: string; teamName: string };
	role: Role;
	user: { id: string; name: string };
}

export interface TeamMemberDto {
	userId: string;
	name: string;
	email: string;
	role: Role;
}

export interface OpenInviteDto {
	id: string;
	role: Role;
	/** ISO 8601. */
	expiresAt: string;
	maxUses: number;
	useCount: number;
	createdByName: string | null;
}

export interface OrganisationSettingsDto {
	name: string;
	openSignupDomain: string | null;
	openSignupTeamId: string | null;
}

/** The outcome a form action sends back on failure: a message and/or per-field messages. */
export interface FormFailure {
	/** Which of a page's forms failed, when it has several. */
	action?: string;
	message?: string;
	errors?: Record<string, string>;
	values?: Record<string, string>;
}

// ---- PDCA lifecycle: card-detail API, follow-up, inbox, standards, guests (issue 5) ----

/** `GET /api/boards/[boardId]/cards/[cardId]/events`: the card's stage history, oldest first. */
export interface CardEventDto {
	fromStage: string | null;
	toStage: string;
	/** ISO 8601, the server's clock. */
	at: string;
	/** Who moved it; null for the system (reconciliation) or a deleted user. */
	byName: string | null;
	cycle: number;
	/** A manager's reason for passing a stage gate; null for ordinary moves. */
	overrideReason: string | null;
}

export interface CardEventsResponse {
	events: CardEventDto[];
}

/** `GET /api/boards/[boardId]/people`: team members first (by name), then the organisation. */
export interface BoardPersonDto {
	id: string;
	name: string;
	/** The board's team for its members; for others the first of their teams by name, or null. */
	teamName: string | null;
	isTeamMember: boolean;
}

export interface BoardPeopleResponse {
	people: BoardPersonDto[];
}

/** One card in a follow-up list or the inbox; `href` opens it (src/lib/links.ts). */
export interface FollowUpCardDto {
	boardId: string;
	boardName: string;
	teamName: string;
	cardId: string;
	title: string;
	stage: string;
	beneficiary: string;
	ownerName: string | null;
	/** 'YYYY-MM-DD' or null when none is set. */
	followUp: string | null;
	href: string;
}

export interface SupportRequestDto extends FollowUpCardDto {
	what: string;
	fromWhom: string | null;
}

/** A standard in the library (or a follow-up list's "to review"). */
export interface StandardDto {
	boardId: string;
	cardId: string;
	title: string;
	beneficiary: string;
	teamId: string;
	teamName: string;
	ownerName: string | null;
	effectiveDate: string | null;
	reviewDate: string | null;
	reviewOverdue: boolean;
	href: string;
}

export interface TeamFollowUpDto {
	overdue: FollowUpCardDto[];
	noFollowUp: FollowUpCardDto[];
	support: SupportRequestDto[];
	standardsToReview: StandardDto[];
}

export interface PersonalFollowUpDto {
	overdue: FollowUpCardDto[];
	waitingForInput: FollowUpCardDto[];
	support: SupportRequestDto[];
}

/** The read view of one card for people outside its team (`/cards/[boardId]/[cardId]`). */
export interface GuestCardDto {
	boardId: string;
	cardId: string;
	teamName: string;
	title: string;
	beneficiary: string;
	stage: string;
	cycle: number;
	problem: string;
	idea: string;
	proposerName: string | null;
	ownerName: string | null;
	/** The current cycle's plan and check. */
	why: string;
	target: string;
	measure: {
		name: string;
		unit: string;
		baseline: number | null;
		target: number | null;
		better: 'up' | 'down';
	} | null;
	dialogueQuestion: string | null;
	result: string;
	learned: string;
	decision: { kind: string; reasons: string } | null;
	standardText: string | null;
	affected: { name: string; answered: boolean }[];
	/** This person's input in the current cycle, if given. */
	myInput: { kind: string; text: string } | null;
	canGiveInput: boolean;
	/** Why input is closed (the card ended), when it is. */
	inputClosed: boolean;
}
