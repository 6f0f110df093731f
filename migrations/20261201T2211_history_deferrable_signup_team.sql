-- why: organisations and teams reference each other, so a backup restore (src/lib/server/backup) must be able to insert an organisation before its open sign-up team: this one foreign key is checked at commit.
alter table organisations alter constraint organisations_open_signup_team_fk deferrable initially immediate;
