-- why: the stand-up room needs named display links, one open stand-up per board with a kept summary, idea photos stored in Postgres (so backups and PGlite need nothing extra), and a board's choice to accept anonymous ideas.

alter table display_links add column label text not null default '' check (length(label) <= 80);
create index display_links_board_id_idx on display_links (board_id);

-- One row per stand-up meeting; the partial unique index makes "started twice at once" one meeting.
create table standups (
	id text primary key,
	board_id text not null references boards (id) on delete cascade,
	started_at timestamptz not null default now(),
	started_by text references users (id) on delete set null,
	ended_at timestamptz,
	-- What the meeting kept when it ended (attendees, cards discussed, moves, new actions).
	summary jsonb
);
create unique index standups_one_open_per_board on standups (board_id) where ended_at is null;
create index standups_board_started_idx on standups (board_id, started_at desc);

-- A photo attached to an idea: already resized and stripped of metadata by the server.
create table card_photos (
	id text primary key,
	board_id text not null references boards (id) on delete cascade,
	card_id text not null,
	uploaded_by text references users (id) on delete set null,
	mime text not null check (mime in ('image/jpeg', 'image/webp')),
	width integer not null check (width between 1 and 4000),
	height integer not null check (height between 1 and 4000),
	data bytea not null,
	created_at timestamptz not null default now()
);
create index card_photos_board_card_idx on card_photos (board_id, card_id);

-- Off by default: a board's managers choose whether ideas may be sent without the proposer's name.
alter table boards add column allow_anonymous_ideas boolean not null default false;
