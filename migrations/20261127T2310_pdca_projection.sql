-- why: follow-up lists, the inbox, the standards library and reports query the PDCA facts of cards across boards, so the projection carries them; overrides are recorded on stage events; people of other teams can be involved in one card.

-- People are copied with their names as the document has them; no foreign keys, since a document may name a user who was since deleted.
alter table cards add column proposer_id text;
alter table cards add column proposer_name text;
alter table cards add column owner_id text;
alter table cards add column owner_name text;
alter table cards add column follow_up date;
alter table cards add column due date;
-- The current cycle's Act decision: adopt, adapt or abandon.
alter table cards add column decision text check (decision is null or decision in ('adopt', 'adapt', 'abandon'));
alter table cards add column labels text[] not null default '{}';
alter table cards add column affected_user_ids text[] not null default '{}';
-- Affected people without input in the current cycle (asked for from Check on; kept for every stage).
alter table cards add column pending_input_user_ids text[] not null default '{}';
alter table cards add column support_what text;
alter table cards add column support_from text;
alter table cards add column support_raised_by text;
alter table cards add column support_open boolean not null default false;
alter table cards add column end_reason text not null default '';
alter table cards add column standard_effective_date date;
alter table cards add column standard_review_date date;
alter table cards add column standard_owner_id text;
alter table cards add column standard_owner_name text;
-- The standard's text, for the library's search.
alter table cards add column standard_text text not null default '';
alter table cards add column adopted_from_board_id text;
alter table cards add column adopted_from_card_id text;

create index cards_follow_up_idx on cards (follow_up) where deleted_at is null;
create index cards_owner_idx on cards (owner_id) where deleted_at is null;
create index cards_proposer_idx on cards (proposer_id) where deleted_at is null;
create index cards_pending_input_idx on cards using gin (pending_input_user_ids) where deleted_at is null;
create index cards_standard_idx on cards (board_id) where stage = 'standard' and deleted_at is null;

-- A manager's reason for passing a stage gate, recorded with the move it allowed.
alter table card_events add column override_reason text;

-- A person of another team involved in one card (DESIGN.md §2.8): they may read it and give input.
create table card_guests (
	board_id text not null references boards (id) on delete cascade,
	card_id text not null,
	user_id text not null references users (id) on delete cascade,
	added_by text references users (id) on delete set null,
	created_at timestamptz not null default now(),
	primary key (board_id, card_id, user_id)
);
create index card_guests_user_idx on card_guests (user_id);
