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
