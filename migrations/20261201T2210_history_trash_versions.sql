-- why: nothing a person does may lose a board: deleted cards wait in a trash (30 days), and version points of each board's document (90 days) can be previewed and restored.

-- A card removed from a board's document, with the content it had (so it can be put back) and who removed it.
create table card_trash (
	id bigserial primary key,
	board_id text not null references boards (id) on delete cascade,
	card_id text not null,
	title text not null default '',
	-- The card's content as src/lib/board/card-copy.ts captures it (a tagged JSON tree).
	content text not null,
	deleted_by text references users (id) on delete set null,
	deleted_at timestamptz not null default now(),
	restored_at timestamptz
);
create index card_trash_board_idx on card_trash (board_id, deleted_at desc);

-- A point in a board's history: the whole document then (gzip of a Yjs update), who was active and how much changed since the previous point.
create table board_versions (
	id bigserial primary key,
	board_id text not null references boards (id) on delete cascade,
	kind text not null check (kind in ('hourly', 'compaction', 'named', 'restore')),
	name text check (name is null or length(name) between 1 and 120),
	created_by text references users (id) on delete set null,
	active_user_ids text[] not null default '{}',
	cards_changed integer not null default 0,
	card_count integer not null default 0,
	state bytea not null,
	created_at timestamptz not null default now()
);
create index board_versions_board_idx on board_versions (board_id, created_at desc);
