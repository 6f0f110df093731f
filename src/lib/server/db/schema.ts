/**
 * The one Database interface: every table Kysely may touch, as the migrations in /migrations
 * define it. Rows (`Selectable<…>`) stay on the server; routes map them to DTOs in $lib/types.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz: read as Date, written as Date or ISO string, defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<
	Date | null,
	Date | string | null | undefined,
	Date | string | null
>;
type NullableText = ColumnType<string | null, string | null | undefined, string | null>;
type DateColumn = ColumnType<Date | string | null, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
/** bigserial / bigint come back from pg as strings (they may exceed 2^53). */
type BigIntColumn = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface OrganisationsTable {
	id: string;
	name: string;
	open_signup_domain: string | null;
	open_signup_team_id: string | null;
	created_at: CreatedAt;
}

export interface UsersTable {
	id: string;
	organisation_id: string;
	email: string;
	name: string;
	password_hash: string;
	is_org_admin: Generated<boolean>;
	locale: string | null;
	created_at: CreatedAt;
}

export interface SessionsTable {
	id: string;
	user_id: string;
	expires_at: Timestamp;
	created_at: CreatedAt;
}

/** A browser that signed in to the account before; `id` is the SHA-256 of its cookie. */
export interface TrustedDevicesTable {
	id: string;
	user_id: string;
	created_at: CreatedAt;
	last_used_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TeamsTable {
	id: string;
	organisation_id: string;
	name: string;
	created_at: CreatedAt;
}

export interface TeamMembersTable {
	team_id: string;
	user_id: string;
	role: string;
	created_at: CreatedAt;
}

export interface InvitesTable {
	id: string;
	token_hash: string;
	organisation_id: string;
	team_id: string;
	role: string;
	created_by: string | null;
	max_uses: Generated<number>;
	use_count: Generated<number>;
	expires_at: Timestamp;
	revoked_at: NullableTimestamp;
	created_at: CreatedAt;
}

export interface BoardsTable {
	id: string;
	team_id: string;
	name: string;
	created_at: CreatedAt;
	allow_anonymous_ideas: Generated<boolean>;
}

export interface DisplayLinksTable {
	id: string;
	token_hash: string;
	board_id: string;
	created_by: string | null;
	revoked_at: NullableTimestamp;
	created_at: CreatedAt;
	label: ColumnType<string, string | undefined, string>;
}

export interface StandupsTable {
	id: string;
	board_id: string;
	started_at: CreatedAt;
	started_by: string | null;
	ended_at: NullableTimestamp;
	/** JSON written by src/lib/server/standup.ts (StandupSummary); read back through its guard. */
	summary: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface CardPhotosTable {
	id: string;
	board_id: string;
	card_id: string;
	uploaded_by: string | null;
	mime: string;
	width: number;
	height: number;
	data: Uint8Array;
	created_at: CreatedAt;
}

export interface BoardUpdatesTable {
	board_id: string;
	seq: Generated<BigIntColumn>;
	data: Uint8Array;
	created_at: CreatedAt;
}

export interface BoardSnapshotsTable {
	board_id: string;
	data: Uint8Array;
	last_seq: BigIntColumn;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CardsTable {
	id: string;
	board_id: string;
	title: string;
	stage: string;
	cycle: Generated<number>;
	created_at: ColumnType<Date, Date | string | undefined, Date | string>;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
	stage_entered_at: ColumnType<Date, Date | string | undefined, Date | string>;
	deleted_at: NullableTimestamp;
	rank: ColumnType<string, string | undefined, string>;
	beneficiary: ColumnType<string, string | undefined, string>;
	created_by: string | null;
	proposer_id: NullableText;
	proposer_name: NullableText;
	owner_id: NullableText;
	owner_name: NullableText;
	/** `date` columns: written as 'YYYY-MM-DD'; select them with `::text` (pg would make a local-midnight Date). */
	follow_up: DateColumn;
	due: DateColumn;
	decision: NullableText;
	labels: TextArray;
	affected_user_ids: TextArray;
	pending_input_user_ids: TextArray;
	support_what: NullableText;
	support_from: NullableText;
	support_raised_by: NullableText;
	support_open: ColumnType<boolean, boolean | undefined, boolean>;
	end_reason: ColumnType<string, string | undefined, string>;
	standard_effective_date: DateColumn;
	standard_review_date: DateColumn;
	standard_owner_id: NullableText;
	standard_owner_name: NullableText;
	standard_text: ColumnType<string, string | undefined, string>;
	adopted_from_board_id: NullableText;
	adopted_from_card_id: NullableText;
}

export interface CardEventsTable {
	id: Generated<BigIntColumn>;
	board_id: string;
	card_id: string;
	from_stage: string | null;
	to_stage: string;
	at: Timestamp;
	by_user_id: string | null;
	cycle: Generated<number>;
	recorded_at: CreatedAt;
	override_reason: NullableText;
}

export interface CardGuestsTable {
	board_id: string;
	card_id: string;
	user_id: string;
	added_by: string | null;
	created_at: CreatedAt;
}

/** Per-card flow summary, kept by a trigger on card_events (migration 20261201T2140_analytics_*). */
export interface CardFlowTable {
	board_id: string;
	card_id: string;
	stage: string;
	cycle: number;
	stage_entered_at: Date;
	event_count: number;
	created_at: Date;
	first_response_at: Date | null;
	reached_proposed_at: Date | null;
	reached_plan_at: Date | null;
	reached_do_at: Date | null;
	reached_check_at: Date | null;
	reached_act_at: Date | null;
	reached_standard_at: Date | null;
	first_parked_at: Date | null;
	first_declined_at: Date | null;
	end_state: string | null;
	ms_proposed: BigIntColumn;
	ms_plan: BigIntColumn;
	ms_do: BigIntColumn;
	ms_check: BigIntColumn;
	ms_act: BigIntColumn;
	ms_standard: BigIntColumn;
	ms_parked: BigIntColumn;
	ms_declined: BigIntColumn;
	/** Local days ('Europe/Stockholm') of created_at, reached_proposed/plan/standard_at, first_response_at. */
	created_day: DateColumn;
	proposed_day: DateColumn;
	started_day: DateColumn;
	finished_day: DateColumn;
	first_response_day: DateColumn;
}

/** First arrivals per board, local day and stage (same trigger); `day` reads as text via `::text`. */
export interface FlowDailyArrivalsTable {
	board_id: string;
	day: DateColumn;
	stage: string;
	arrivals: number;
}

/**
 * A card whose stage events changed since its card_flow row was folded: marked by the trigger on
 * card_events, taken by card_flow_refresh_stale (src/lib/server/analytics/flow-summaries.ts).
 */
export interface CardFlowStaleTable {
	board_id: string;
	card_id: string;
}

/** A deleted card waiting to be put back (history lane: src/lib/server/trash.ts). */
export interface CardTrashTable {
	/** bigserial, read as a string. */
	id: Generated<string>;
	board_id: string;
	card_id: string;
	title: ColumnType<string, string | undefined, string>;
	content: string;
	deleted_by: string | null;
	deleted_at: CreatedAt;
	restored_at: NullableTimestamp;
}

/** A point in a board's history (history lane: src/lib/server/history/versions.ts). */
export interface BoardVersionsTable {
	/** bigserial, read as a string. */
	id: Generated<string>;
	board_id: string;
	kind: string;
	name: string | null;
	created_by: string | null;
	active_user_ids: TextArray;
	cards_changed: ColumnType<number, number | undefined, number>;
	card_count: ColumnType<number, number | undefined, number>;
	state: Uint8Array;
	created_at: CreatedAt;
}

export interface Database {
	organisations: OrganisationsTable;
	users: UsersTable;
	sessions: SessionsTable;
	trusted_devices: TrustedDevicesTable;
	teams: TeamsTable;
	team_members: TeamMembersTable;
	invites: InvitesTable;
	boards: BoardsTable;
	display_links: DisplayLinksTable;
	board_updates: BoardUpdatesTable;
	board_snapshots: BoardSnapshotsTable;
	cards: CardsTable;
	card_events: CardEventsTable;
	card_guests: CardGuestsTable;
	card_flow: CardFlowTable;
	flow_daily_arrivals: FlowDailyArrivalsTable;
	card_flow_stale: CardFlowStaleTable;
	standups: StandupsTable;
	card_photos: CardPhotosTable;
	card_trash: CardTrashTable;
	board_versions: BoardVersionsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type Team = Selectable<TeamsTable>;
export type Board = Selectable<BoardsTable>;
export type Invite = Selectable<InvitesTable>;
export type CardRow = Selectable<CardsTable>;
export type CardUpdate = Updateable<CardsTable>;
