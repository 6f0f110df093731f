-- why: the sync server keeps the card projection complete enough to query without loading documents (rank for order, beneficiary for filters and reports, creator for credit).

alter table cards add column rank text not null default '';
alter table cards add column beneficiary text not null default '';
-- The creator's user id as the document says it; no foreign key, since a document may name a user who was since deleted.
alter table cards add column created_by text;
