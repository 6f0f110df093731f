-- why: the first schema: people and access (organisation → teams → boards), lucia-style sessions, invites, and the board's Yjs log with its card projection and stage events.

create table organisations (
	id text primary key,
	name text not null check (length(name) between 1 and 120),
	-- Open sign-up: anyone with an email at this domain may join, as a member of this team.
	open_signup_domain text check (open_signup_domain is null or length(open_signup_domain) between 3 and 253),
	open_signup_team_id text,
	created_at timestamptz not null default now()
);

create table users (
	id text primary key,
	organisation_id text not null references organisations (id) on delete cascade,
	email text not null check (length(email) between 3 and 254),
	name text not null check (length(name) between 1 and 120),
	password_hash text not null,
	is_org_admin boolean not null default false,
	locale text check (locale is null or locale in ('sv', 'en')),
	created_at timestamptz not null default now()
);
create unique index users_email_lower_key on users (lower(email));

-- Only the SHA-256 of the session token is stored (its hex is the id), so a leaked table cannot sign anyone in.
create table sessions (
	id text primary key,
	user_id text not null references users (id) on delete cascade,
	expires_at timestamptz not null,
	created_at timestamptz not null default now()
);
create index sessions_user_id_idx on sessions (user_id);

create table teams (
	id text primary key,
	organisation_id text not null references organisations (id) on delete cascade,
	name text not null check (length(name) between 1 and 120),
	created_at timestamptz not null default now(),
	unique (organisation_id, name)
);

alter table organisations
	add constraint organisations_open_signup_team_fk foreign key (open_signup_team_id) references teams (id) on delete set null;

create table team_members (
	team_id text not null references teams (id) on delete cascade,
	user_id text not null references users (id) on delete cascade,
	role text not null check (role in ('admin', 'manager', 'member', 'viewer')),
	created_at timestamptz not null default now(),
	primary key (team_id, user_id)
);
create index team_members_user_id_idx on team_members (user_id);

-- An invite link's token is shown once; only its SHA-256 is kept.
create table invites (
	id text primary key,
	token_hash text not null unique,
	organisation_id text not null references organisations (id) on delete cascade,
	team_id text not null references teams (id) on delete cascade,
	role text not null check (role in ('admin', 'manager', 'member', 'viewer')),
	created_by text references users (id) on delete set null,
	max_uses integer not null default 1 check (max_uses between 1 and 1000),
	use_count integer not null default 0,
	expires_at timestamptz not null,
	revoked_at timestamptz,
	created_at timestamptz not null default now()
);
create index invites_team_id_idx on invites (team_id);

create table boards (
	id text primary key,
	team_id text not null references teams (id) on delete cascade,
	name text not null check (length(name) between 1 and 120),
	created_at timestamptz not null default now()
);
create index boards_team_id_idx on boards (team_id);

-- A screen in the stand-up room signs in with a revocable link that grants viewer rights to one board.
create table display_links (
	id text primary key,
	token_hash text not null unique,
	board_id text not null references boards (id) on delete cascade,
	created_by text references users (id) on delete set null,
	revoked_at timestamptz,
	created_at timestamptz not null default now()
);

-- The board document's append-only Yjs update log; compaction folds a prefix into board_snapshots.
create table board_updates (
	board_id text not null references boards (id) on delete cascade,
	seq bigserial,
	data bytea not null,
	created_at timestamptz not null default now(),
	primary key (board_id, seq)
);

create table board_snapshots (
	board_id text primary key references boards (id) on delete cascade,
	data bytea not null,
	-- The highest board_updates.seq already folded into data.
	last_seq bigint not null,
	updated_at timestamptz not null default now()
);

-- A queryable projection of each card (the document stays the source of truth for content).
create table cards (
	id text not null,
	board_id text not null references boards (id) on delete cascade,
	title text not null,
	stage text not null,
	cycle integer not null default 1,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	stage_entered_at timestamptz not null default now(),
	deleted_at timestamptz,
	primary key (board_id, id)
);
create index cards_board_stage_idx on cards (board_id, stage);

-- Every effective stage change: the single source of every flow metric.
create table card_events (
	id bigserial primary key,
	board_id text not null references boards (id) on delete cascade,
	card_id text not null,
	from_stage text,
	to_stage text not null,
	at timestamptz not null,
	by_user_id text references users (id) on delete set null,
	cycle integer not null default 1,
	recorded_at timestamptz not null default now()
);
create index card_events_board_card_idx on card_events (board_id, card_id, at);
