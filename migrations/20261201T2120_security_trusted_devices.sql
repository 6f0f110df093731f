-- why: a browser that has signed in to an account before is "known" (OWASP device cookies), so failed guesses from elsewhere never lock its owner out; only the SHA-256 of the cookie is stored.
create table trusted_devices (
	id text primary key,
	user_id text not null references users (id) on delete cascade,
	created_at timestamptz not null default now(),
	last_used_at timestamptz not null default now()
);
create index trusted_devices_user_id_idx on trusted_devices (user_id, last_used_at);
